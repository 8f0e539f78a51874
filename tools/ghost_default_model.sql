-- Imports models/ghost_default.safetensors as the ghost model "default" unless the catalog has
-- one (for databases where the extension's installation did not put it there). Run by psql
-- from the repository's root.
\set ghost_default_weights `base64 -w0 models/ghost_default.safetensors`
SELECT ngs.import_model('default', 'ghost', decode(:'ghost_default_weights', 'base64'))
WHERE NOT EXISTS (SELECT FROM ngs.model WHERE name = 'default' AND kind = 'ghost');
\unset ghost_default_weights
