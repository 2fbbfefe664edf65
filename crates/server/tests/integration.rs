//! chorus-server integration tests: one binary, one module per concern.

mod integration {
    pub mod api;
    pub mod browser;
    pub mod shutdown;
    pub mod support;
}
