-- Empties the dataset tables and the fixtures built from them. No parameters.
TRUNCATE dms.Reference, dms.Alias, dms.Document, dms.perf_reference_targets
