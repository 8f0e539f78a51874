-- ngs.closing_metric and ngs.closing_parts: worked examples and rejected inputs
-- 11 yd/s straight onto a standing receiver: C = -1, E = 1, P = 0
SELECT * FROM ngs.closing_parts('[(0,0),(1.1,0),(2.2,0),(3.3,0),(4.4,0)]',
                                '[(4.4,0),(4.4,0),(4.4,0),(4.4,0),(4.4,0)]');
SELECT ngs.closing_metric('[(0,0),(1.1,0),(2.2,0),(3.3,0),(4.4,0)]',
                          '[(4.4,0),(4.4,0),(4.4,0),(4.4,0),(4.4,0)]');
-- keeping pace with the receiver at 10 yd/s: C = 0, E = 10/11, score 0
SELECT * FROM ngs.closing_parts('[(1,0),(2,0),(3,0)]', '[(0,0),(1,0),(2,0)]');
SELECT ngs.closing_metric('[(1,0),(2,0),(3,0)]', '[(0,0),(1,0),(2,0)]');
-- running away at 5 yd/s: positive
SELECT ngs.closing_metric('[(1,0),(1.5,0),(2,0)]', '[(0,0),(0,0),(0,0)]');
-- 14 yd/s: C = -14/11, E = 14/11 (adds 3/11), P = (14 - 12.5) / 12.5 = 0.12
SELECT * FROM ngs.closing_parts('[(0,0),(1.4,0),(2.8,0)]', '[(10,0),(10,0),(10,0)]');
SELECT ngs.closing_metric('[(0,0),(1.4,0),(2.8,0)]', '[(10,0),(10,0),(10,0)]');
-- weights and parameters by name
SELECT ngs.closing_metric('[(0,0),(1.4,0),(2.8,0)]', '[(10,0),(10,0),(10,0)]', w_effort => 0, w_superhuman => 0);
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(5,0),(5,0)]', v_top => 8, dt => 0.125);
-- NULL in, NULL out
SELECT ngs.closing_metric(NULL, '[(0,0),(1,0)]');
-- rejected inputs, one per line
SELECT ngs.closing_metric('[(0,0)]', '[(1,1)]');
SELECT ngs.closing_metric('[(0,0),(1,0),(2,0)]', '[(0,0),(1,0)]');
SELECT ngs.closing_metric('((0,0),(1,0))', '[(0,0),(1,0)]');
SELECT ngs.closing_parts('[(0,0),(1,0)]', '(0,0),(1,0)');
SELECT ngs.closing_metric('[(0,0),(Infinity,0)]', '[(0,0),(1,0)]');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,NaN)]');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', v_top => 0);
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', v_top => -11);
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', v_max => 'NaN');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', dt => 0);
SELECT ngs.closing_parts('[(0,0),(1,0)]', '[(0,0),(1,0)]', dt => 'Infinity');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', w_closing => -1);
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', w_effort => 'NaN');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', w_superhuman => 'Infinity');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(5,0),(5,0)]', v_top => 1e-200, dt => 1e-200);
SELECT ngs.closing_parts('[(0,0),(1,0)]', '[(5,0),(5,0)]', v_top => 1e-200, dt => 1e-200);
SELECT ngs.closing_metric('[(-1e308,-1e308),(1e308,1e308)]', '[(1e308,1e308),(-1e308,-1e308)]');
SELECT ngs.closing_metric('[(0,0),(1,0)]', '[(0,0),(1,0)]', w_effort => 1e308, v_top => 1e-300);
