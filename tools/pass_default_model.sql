-- The default pass model's recipe (tools/train-default-model; test/real/pass_train_real.sql
-- checks that it gives the shipped weights): the plays of tools/pass_plays.sql outside the
-- held-out games (fold <> 0), the default options with seed 5 (validation games:
-- ngs.kfold(game_id, 5, 5) = 0 among them) and the context's names.  Sets :default_model_id.
SELECT ngs.train_pass_model('default',
    $$SELECT tensor, context, yards, game_id FROM pass_plays WHERE fold <> 0 ORDER BY game_id, play_id$$,
    '{"seed": 5, "context_names": ["down", "yards_to_go", "yards_to_goal", "quarter", "score_diff"]}')
    AS default_model_id \gset
