-- Weight files (safetensors profile): accepted files, then every rejected file, one per line
\set VERBOSITY default
SET client_min_messages = warning;

\set ECHO none
\i test/fixtures/weight_files.psql
\set ECHO all

-- accepted: the tiny model, one with context, and one whose header is spaced out and escaped
SELECT ngs.import_model('tiny', 'pass', pg_temp.tiny()) > 0 AS imported;
SELECT ngs.import_model('tiny', 'pass', pg_temp.tiny('{"context.names": "down"}', 'context.mean:1:0', 'context.std:1:2', 'mlp.0.weight:6,5:0.1')) > 0 AS with_context;
SELECT ngs.import_model('spaced', 'pass', pg_temp.wf(E'\n ' || replace(replace(replace(
           pg_temp.header(pg_temp.tiny()), ':', E' :\t'), ',', E' ,\r\n'),
           '"ngs.kind"', '"description" : "caf\u00e9 \ud83c\udfc8", "note": "\"q\" \\ \/ \b\f\n\r\t \u0041", "ngs.kind"')
           || '        ', pg_temp.data(pg_temp.tiny()))) > 0 AS spaced;
SELECT name, kind, bytes, latest, options - 'description' AS options FROM ngs.list_models() WHERE name IN ('tiny', 'spaced');
SELECT options->>'description' = 'caf' || convert_from('\xc3a9', 'UTF8') || ' ' || convert_from('\xf09f8f88', 'UTF8') AS unicode_escapes
FROM ngs.list_models() WHERE name = 'spaced';
SELECT ngs.export_model('tiny') = pg_temp.tiny('{"context.names": "down"}', 'context.mean:1:0', 'context.std:1:2', 'mlp.0.weight:6,5:0.1') AS exported_latest,
       ngs.export_model(ngs.model_id('tiny')::text) = ngs.export_model('tiny') AS by_id,
       ngs.export_model((ngs.model_id('tiny') - 1)::text) = pg_temp.tiny() AS older_version,
       encode(sha256(ngs.export_model('tiny')), 'hex') = (SELECT sha256 FROM ngs.list_models() WHERE name = 'tiny' AND latest) AS sha256;

-- rejected: the container
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.import_model('bad', 'pass', '\x')$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\x01000000000000')$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\x0000000000010000' || pg_temp.f32(0, 4))$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\xffffffffffffffff')$$),
    ($$SELECT ngs.import_model('bad', 'pass', substring(pg_temp.tiny() FROM 1 FOR 100))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf(''))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('[1, 2]'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{} x'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\x04000000000000007b7d0900')$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a\q":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a\u00g0":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"\ud800":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"\udc00":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"\u0000":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a' || chr(10) || '":1}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\x0500000000000000' || '\x7b2280ff22'::bytea)$$),
    ($$SELECT ngs.import_model('bad', 'pass', '\x0600000000000000' || '\x7b22e282'::bytea || '"}')$$)
) v(s);

-- rejected: the header's entries
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"__metadata__":{"ngs.kind":1}}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"__metadata__":{"a":"1","a":"2"}}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"__metadata__":{},"__metadata__":{}}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"__metadata__":{' || (SELECT string_agg(format('"k%s":""', i), ',') FROM generate_series(1, 65) i) || '}}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{' || (SELECT string_agg(format('"t%s":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}', i), ',') FROM generate_series(1, 257) i) || '}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', pg_temp.f32(0, 2)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"shape":[1],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1e3],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[4503599627370496,4503599627370496],"data_offsets":[0,4]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}', pg_temp.f32(0)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', pg_temp.f32(0, 2)))$$)
) v(s);

-- rejected: the data section
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', pg_temp.f32(0, 3)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', pg_temp.f32(0, 3)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', pg_temp.f32(0, 2)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.wf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', pg_temp.f32(0, 2)))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:6:NaN'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,176,2:-Infinity'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', convert_to(repeat('a', 64 * 1024 * 1024 + 1), 'SQL_ASCII'))$$)
) v(s);

-- rejected: the metadata every kind shares, and the model's name and kind
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"ngs.kind": null}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"ngs.kind": "ghost"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"ngs.kind": "pass "}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"ngs.format": "2"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"ngs.format": null}'))$$),
    ($$SELECT ngs.import_model('bad', 'shot', pg_temp.tiny())$$),
    ($$SELECT ngs.import_model('', 'pass', pg_temp.tiny())$$),
    ($$SELECT ngs.import_model('2024', 'pass', pg_temp.tiny())$$),
    ($$SELECT ngs.import_model(repeat('n', 64), 'pass', pg_temp.tiny())$$),
    ($$SELECT ngs.import_model('tab' || chr(9), 'pass', pg_temp.tiny())$$)
) v(s);

-- rejected: the pass model's profile
SELECT s AS statement, try(s) FROM (VALUES
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.lower": null}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.upper": "forty"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.upper": "40 "}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.upper": " 40"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.upper": "inf"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.upper": "-10"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.lower": "-1e308", "sbp.upper": "1e308"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.alpha": "0.5"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"sbp.alpha": "0"}'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'input.mean:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'input.std:175:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'input.std:176:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'input.std:176:-1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.std:5:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.mean:5:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.mean:5:0', 'context.std:4:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.mean:5:0', 'context.std:5:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.mean:65:0', 'context.std:65:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'context.mean:1,5:0', 'context.std:5:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{"context.names": "down,distance"}', 'context.mean:1:0', 'context.std:1:1', 'mlp.0.weight:6,5:0.1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:-', 'tcn.0.conv1.bias:-', 'tcn.0.conv2.weight:-', 'tcn.0.conv2.bias:-', 'tcn.0.downsample.weight:-', 'tcn.0.downsample.bias:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,175,2:0.01'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,176:0.01'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.bias:5:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.bias:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:4,176,17:0.01'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight:513,176,1:0.01'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv2.weight:4,4,2,1:0.1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv2.weight:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.downsample.weight:-', 'tcn.0.downsample.bias:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.downsample.weight:4,176,2:0.1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.1.conv1.weight:4,4,2:0.1', 'tcn.1.conv1.bias:4:0', 'tcn.1.conv2.weight:4,4,2:0.1', 'tcn.1.conv2.bias:4:0', 'tcn.1.downsample.weight:4,4,1:0.1', 'tcn.1.downsample.bias:4:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.0.conv1.weight_g:4,1,1:1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'tcn.2.conv1.weight:4,4,2:0.1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.weight:-', 'mlp.0.bias:-'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.weight:6,3:0.1'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.bias:7:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.weight:5,4:0.1', 'mlp.0.bias:5:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.0.weight:1025,4:0.1', 'mlp.0.bias:1025:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.1.weight:6,7:0.1', 'mlp.1.bias:6:0'))$$),
    ($$SELECT ngs.import_model('bad', 'pass', pg_temp.tiny('{}', 'mlp.2.weight:6,6:0.1', 'mlp.2.bias:6:0'))$$)
) v(s);

-- nothing rejected was stored
SELECT name, count(*) FROM ngs.list_models() WHERE name IN ('tiny', 'spaced', 'bad') GROUP BY name ORDER BY name;
SELECT ngs.drop_model('tiny', true) + ngs.drop_model('spaced') AS dropped;
