//! Engine integration tests: one binary, one module per concern.

mod integration {
    pub mod corpus;
    #[cfg(feature = "embeddings")]
    pub mod embeddings;
    pub mod extract;
    pub mod invariants;
    pub mod store;
}
