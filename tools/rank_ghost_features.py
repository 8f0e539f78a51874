#!/usr/bin/python3
"""Rank the candidate ghosting features with gradient-boosted trees (Debian python3-sklearn).

Reads every ghosting window of the training games from the database the PG* environment
names (the real data loaded by tools/load-data), fits one gradient-boosted tree model per
component of the defender's displacement from constant velocity at the last frame (1.0 s,
in the frame turned toward the target), and ranks each candidate feature by its
permutation importance: how much the squared error at 1.0 s grows, on games the trees did
not see, when that feature's column is shuffled.  Prints the ranking and the features to
keep (those carrying at least --keep of the total importance), as the comma-separated list
that ngs.train_ghost_model's "features" option takes.

The held-out games of the evaluation (ngs.kfold(game_id, 5, 1) = 0) are never read.
Usage: tools/rank_ghost_features.py [--keep 0.005] [--horizon 10]
"""
import argparse
import io
import os
import subprocess
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.inspection import permutation_importance

HERE = os.path.dirname(os.path.abspath(__file__))


def psql(sql):
    """Run SQL through psql (PG* environment) and return its standard output."""
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout


def windows(horizon):
    """Game id, candidate features (NaN = missing) and real displacement at the horizon."""
    with open(os.path.join(HERE, "ghost_plays.sql")) as f:
        setup = f.read()
    names = psql("SELECT array_to_string(ngs.ghost_feature_names(), ',')").strip().split(",")
    sql = setup + f"""
        COPY (SELECT g.game_id, array_to_string(w.features, ',', 'nan'),
                     w.residual[{2 * horizon - 1}], w.residual[{2 * horizon}]
              FROM ghost_plays g,
                   ngs.ghost_windows(g.tensor, g.defenders, g.target, g.release_frame, NULL, {horizon}) w
              WHERE g.fold <> 0
              ORDER BY g.game_id, g.play_id, w.defender, w.at_frame) TO STDOUT"""
    text = psql(sql)
    games, feats, ys = [], [], []
    for line in io.StringIO(text):
        game, f, par, perp = line.rstrip("\n").split("\t")
        games.append(int(game))
        feats.append([float(v) for v in f.split(",")])
        ys.append((float(par), float(perp)))
    return names, np.array(games), np.array(feats), np.array(ys)


def inner_split(games):
    """Games held out inside the training games for the permutation importance."""
    ids = ",".join(str(g) for g in sorted(set(games)))
    held = psql(f"SELECT g FROM unnest('{{{ids}}}'::bigint[]) g WHERE ngs.kfold(g, 5, 2) = 0")
    held = {int(g) for g in held.split()}
    return np.array([g in held for g in games])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=float, default=0.005,
                    help="keep features with at least this share of the total importance")
    ap.add_argument("--horizon", type=int, default=10, help="frames ahead (10 = 1.0 s)")
    args = ap.parse_args()

    names, games, X, Y = windows(args.horizon)
    val = inner_split(games)
    print(f"{len(X)} windows of {len(set(games))} training games; "
          f"importance measured on {val.sum()} windows of {len(set(games[val]))} of them")
    importance = np.zeros(len(names))
    for c, label in enumerate(("along", "across")):
        model = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.1, max_leaf_nodes=31,
                                              random_state=0)
        model.fit(X[~val], Y[~val, c])
        base = np.mean((model.predict(X[val]) - Y[val, c]) ** 2)
        print(f"  {label}: held-in MSE {base:.4f} yd^2 (constant velocity {np.mean(Y[val, c] ** 2):.4f})")
        r = permutation_importance(model, X[val], Y[val, c], scoring="neg_mean_squared_error",
                                   n_repeats=3, random_state=0)
        importance += r.importances_mean
    total = importance.clip(min=0).sum()
    order = np.argsort(-importance)
    print(f"\n{'rank':>4}  {'feature':<12} {'importance (yd^2)':>18} {'share':>7}")
    for rank, k in enumerate(order, 1):
        print(f"{rank:>4}  {names[k]:<12} {importance[k]:>18.5f} {importance[k] / total:>7.1%}")
    keep = [names[k] for k in order if importance[k] >= args.keep * total]
    print(f"\nkept ({len(keep)}, share >= {args.keep:.1%}): {','.join(keep)}")


if __name__ == "__main__":
    sys.exit(main())
