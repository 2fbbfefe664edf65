//! chorus-pgstore integration tests against a real PostgreSQL (`CHORUS_TEST_PG`; see
//! `chorus_pgstore::testdb`): one binary, one module per concern.

mod integration {
    pub mod archive;
    pub mod common;
    pub mod workers;
}
