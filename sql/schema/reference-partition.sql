-- One hash partition of dms.Reference.
-- {{partition}}: the partition's name (reference_00, reference_01, ...); {{modulus}}: the partition count P;
-- {{remainder}}: 0 .. P-1.
CREATE TABLE dms.{{partition}} PARTITION OF dms.Reference FOR VALUES WITH (MODULUS {{modulus}}, REMAINDER {{remainder}})
