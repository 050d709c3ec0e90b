## --cameo-roots 04,17: only consultations and coercion.
# rejects: 0
# expect: + filtered 28
--cameo-roots 04,17 20170701234500.export.CSV
