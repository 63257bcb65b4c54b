-- One hash partition of dms.Alias.
-- {{partition}}: the partition's name (alias_00, alias_01, ...); {{modulus}}: the partition count P;
-- {{remainder}}: 0 .. P-1.
CREATE TABLE dms.{{partition}} PARTITION OF dms.Alias FOR VALUES WITH (MODULUS {{modulus}}, REMAINDER {{remainder}})
