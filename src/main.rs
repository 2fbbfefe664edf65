//! chorus CLI (placeholder).
fn main() {}
