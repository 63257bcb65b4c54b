-- One LIST partition (--schema alias-id, as DMS-867 creates them): partition key k only.
-- {{table}}: Document, Alias or Reference; {{partition}}: its name (reference_00, ...);
-- {{key}}: the partition key value 0 .. P-1 it holds.
CREATE TABLE dms.{{partition}} PARTITION OF dms.{{table}} FOR VALUES IN ({{key}})
