-- One hash partition of dms.Document.
-- {{partition}}: the partition's name (document_00, document_01, ...); {{modulus}}: the partition count P;
-- {{remainder}}: 0 .. P-1.
CREATE TABLE dms.{{partition}} PARTITION OF dms.Document FOR VALUES WITH (MODULUS {{modulus}}, REMAINDER {{remainder}})
