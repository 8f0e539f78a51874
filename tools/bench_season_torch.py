"""The PyTorch baselines of make bench-season (tools/bench-season), on the database the PG*
environment names: the same model inputs as the SQL stages (ngs.model_input of the passes in
pass_inputs, up to NGS_SEASON_TORCH_PLAYS of them, default 2000) and the same weights (the
shipped default model, models/pass_default.safetensors), on one thread as the SQL stages run
on one core.
  inference  the reference network (tools/pass_model.py) under inference_mode, the plays of
             one frame count stacked into batches of up to 256 (exact: no padding), network
             only (inputs prepared beforehand, which favours PyTorch)
  training   one epoch of the same network from the same weights: Adam, batches of up to 32
             plays of one frame count, forward, loss, backward, step; the loss is the cross
             entropy of the yards' bin (a stand-in for the SBP likelihood, same network cost)
Prints "inference_ms_per_play training_ms_per_play plays threads"; process CPU time.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pass_model as pm  # noqa: E402


def batches(inputs, size):
    """(indices, X, s) batches of plays of one frame count, up to size each."""
    groups = {}
    for i, (X, _, _) in enumerate(inputs):
        groups.setdefault(X.shape[1], []).append(i)
    out = []
    for idx in groups.values():
        for k in range(0, len(idx), size):
            part = idx[k:k + size]
            out.append((part, torch.cat([inputs[i][0] for i in part]), torch.cat([inputs[i][1] for i in part])))
    return out


def main():
    limit = int(os.environ.get("NGS_SEASON_TORCH_PLAYS", "2000"))
    torch.set_num_threads(1)
    torch.manual_seed(5)
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c",
                          "SELECT json_build_object('input', ngs.model_input(tensor), 'context', context, 'yards', yards) "
                          f"FROM pass_inputs ORDER BY game_id, play_id LIMIT {limit}"],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    inputs = []
    for line in out:
        r = json.loads(line)
        inputs.append((torch.from_numpy(np.array(r["input"], dtype=np.float32))[None],
                       torch.tensor([[np.nan if v is None else v for v in r["context"]]], dtype=torch.float32),
                       float(r["yards"])))
    model, meta = pm.load(os.path.join(HERE, "..", "models", "pass_default.safetensors"))
    lower, upper = float(meta["sbp.lower"]), float(meta["sbp.upper"])
    n = len(inputs)
    infer = batches(inputs, 256)
    with torch.inference_mode():
        t0 = time.process_time()
        for _, X, s in infer:
            model(X, s)
        inference = time.process_time() - t0
    model.train()
    bins = model.bins
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train = batches(inputs, 32)
    t0 = time.process_time()
    for part, X, s in train:
        y = torch.tensor([inputs[i][2] for i in part])
        target = ((y.clamp(lower, upper - 1e-6) - lower) / (upper - lower) * bins).long()
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X, s)[:, :bins], target)
        loss.backward()
        optimizer.step()
    training = time.process_time() - t0
    print(f"{1000 * inference / n:.3f} {1000 * training / n:.3f} {n} 1")


if __name__ == "__main__":
    main()
