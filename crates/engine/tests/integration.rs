//! Engine integration tests: one binary, one module per concern.

mod integration {
    pub mod corpus;
    pub mod extract;
    pub mod invariants;
    pub mod quotes;
    pub mod store;
    pub mod stories_only;
    pub mod stream;
}
