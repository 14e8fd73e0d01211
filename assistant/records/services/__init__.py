"""Business rules of the system of record, one module per idea; the facade is records.api."""
