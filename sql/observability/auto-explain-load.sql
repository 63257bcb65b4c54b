-- --explain: loads auto_explain into this session, so that the statements a strategy function runs
-- inside itself are explained too (superuser, or the library under $libdir/plugins). No parameters.
LOAD 'auto_explain'
