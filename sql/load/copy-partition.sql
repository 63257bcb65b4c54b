-- Bulk-loads one partition from a binary COPY stream. FREEZE writes the rows already frozen and
-- all-visible (no hint-bit or vacuum pass later); it is valid because the same transaction has just
-- truncated the partition (load/truncate-partition). {{partition}}: dms.reference_03 etc.;
-- {{columns}}: the column list.
COPY {{partition}} ({{columns}}) FROM STDIN WITH (FORMAT binary, FREEZE)
