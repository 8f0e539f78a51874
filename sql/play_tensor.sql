-- play_tensor text and binary forms: accepted and rejected inputs, one per line
SELECT '{"version":1,"standardized":false,"frame_ids":[1,2],"nfl_ids":[7,null],"roles":["offense","ball"],"duplicates":[],"data":[[[1,2,3,4,5,6,7,8],[9,10,11,12,13,14,15,null]],[[0.1,0.2,-0.3,1e-7,3.4028235e38,0,359.99,null],[null,null,null,null,null,null,null,null]]]}'::ngs.play_tensor;
