//! JVM binding (placeholder).
