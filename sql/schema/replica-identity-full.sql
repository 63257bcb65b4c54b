-- setup --dms-indexes: REPLICA IDENTITY FULL, as DMS's Document deploy script sets it on the table
-- and every partition (UPDATE and DELETE then log the whole old row).
-- {{table}}: dms.Document or dms.document_NN.
ALTER TABLE {{table}} REPLICA IDENTITY FULL
