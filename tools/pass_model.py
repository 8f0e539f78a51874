#!/usr/bin/python3
"""The PyTorch reference of the ngs pass model, and its weight file.

Everything follows shared/design/pass-model.md:

- ``model_input(tensor)``: the T x 176 matrix from a play tensor's JSON text form;
- ``PassModel``: the TCN + MLP network (optionally with weight norm, as in Bai et al.);
- ``export(model, path, ...)`` / ``load(path)``: the safetensors weight file
  (weight norm folded into plain weights on export);
- ``head(outputs, ...)``, ``sbp_cdf``, ``sbp_quantile``: the SBP the outputs describe,
  in float64, written from the spec (independently of the extension's C code).

Needs only Debian's python3-torch and python3-numpy.
"""
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SLOTS = 11
FEATURES = 8  # x, y, vx, vy, ax, ay, dir, o
CHANNELS = 2 * SLOTS * FEATURES  # 176
HEAD = 4  # xi_lo, beta_lo, xi_hi, beta_hi
BETA_FLOOR = 1e-6


# --------------------------------------------------------------------------
# Model input
# --------------------------------------------------------------------------

def model_input(tensor):
    """The T x 176 float32 matrix of a play tensor given as its JSON text (or parsed dict)."""
    if isinstance(tensor, str):
        tensor = json.loads(tensor)
    if not tensor["standardized"]:
        raise ValueError("play_tensor is not standardized")
    data = np.array([[[np.nan if v is None else v for v in sample] for sample in frame]
                     for frame in tensor["data"]], dtype=np.float32)
    frames = data.shape[0]
    out = np.full((frames, CHANNELS), np.nan, dtype=np.float32)
    for side, role in enumerate(("offense", "defense")):
        keys = []
        for e, r in enumerate(tensor["roles"]):
            if r != role:
                continue
            ys = data[:, e, 1]
            known = np.flatnonzero(~np.isnan(ys))
            seen = known.size > 0
            keys.append((0 if seen else 1, float(ys[known[0]]) if seen else 0.0,
                         tensor["nfl_ids"][e], e))
        keys.sort()
        for slot, key in enumerate(keys[:SLOTS]):
            c = (side * SLOTS + slot) * FEATURES
            out[:, c:c + FEATURES] = data[:, key[3], :]
    return out


# --------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------

class CausalConv(nn.Conv1d):
    """Conv1d with padding (K-1)*d whose last (K-1)*d outputs are dropped."""

    def __init__(self, cin, cout, kernel, dilation):
        super().__init__(cin, cout, kernel, dilation=dilation, padding=(kernel - 1) * dilation)
        self.chomp = (kernel - 1) * dilation

    def forward(self, x):
        y = super().forward(x)
        return y[:, :, :-self.chomp] if self.chomp else y


class Level(nn.Module):
    """One TCN level: relu(relu(conv2(relu(conv1(x)))) + residual)."""

    def __init__(self, cin, cout, kernel, dilation, weight_norm):
        super().__init__()
        wrap = nn.utils.weight_norm if weight_norm else (lambda m: m)
        self.conv1 = wrap(CausalConv(cin, cout, kernel, dilation))
        self.conv2 = wrap(CausalConv(cout, cout, kernel, dilation))
        self.downsample = nn.Conv1d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = F.relu(self.conv1(x))
        h = F.relu(self.conv2(h))
        r = x if self.downsample is None else self.downsample(x)
        return F.relu(h + r)


class PassModel(nn.Module):
    """The pass model: normalise, TCN over frames, MLP over (last state, context)."""

    def __init__(self, channels, kernel, context, hidden, bins, weight_norm=False):
        super().__init__()
        self.register_buffer("input_mean", torch.zeros(CHANNELS))
        self.register_buffer("input_std", torch.ones(CHANNELS))
        self.register_buffer("context_mean", torch.zeros(context))
        self.register_buffer("context_std", torch.ones(context))
        levels, cin = [], CHANNELS
        for l, c in enumerate(channels):
            levels.append(Level(cin, c, kernel[l] if isinstance(kernel, list) else kernel, 2 ** l, weight_norm))
            cin = c
        self.tcn = nn.ModuleList(levels)
        widths = [cin + context] + list(hidden) + [bins + HEAD]
        self.mlp = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.bins = bins

    def forward(self, X, s):
        """X: [B, T, 176] with NaN for missing; s: [B, S]; returns [B, bins + 4]."""
        x = (X - self.input_mean) / self.input_std
        x = torch.where(torch.isnan(x), torch.zeros_like(x), x).transpose(1, 2)
        for level in self.tcn:
            x = level(x)
        z = (s - self.context_mean) / self.context_std
        z = torch.cat([x[:, :, -1], torch.where(torch.isnan(z), torch.zeros_like(z), z)], dim=1)
        for m, layer in enumerate(self.mlp):
            z = layer(z)
            if m < len(self.mlp) - 1:
                z = F.relu(z)
        return z


# --------------------------------------------------------------------------
# The weight file (safetensors, F32, little-endian)
# --------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """Write name -> float32 array and a str -> str metadata map as a safetensors file."""
    header, offset, blobs = {"__metadata__": dict(metadata)}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # pad, as safetensors does, so the data is 8-aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def read_safetensors(path):
    """Read a safetensors file of F32 tensors; returns (name -> array, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{name}: only F32 is supported")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"]).copy()
    return tensors, metadata


def _plain_weight(conv):
    """A convolution's weight with weight norm (if any) folded in."""
    return conv.weight.detach().float().numpy()


def export(model, path, lower, upper, alpha=0.05, context_names=None, description=None):
    """Write a PassModel as a weight file of the ngs profile."""
    model.eval()
    with torch.no_grad():
        # weight_norm recomputes .weight from (g, v) in a forward pre-hook: run it once
        model(torch.zeros(1, 1, CHANNELS), torch.zeros(1, model.context_mean.numel()))
    t = {"input.mean": model.input_mean.numpy(), "input.std": model.input_std.numpy()}
    if model.context_mean.numel():
        t["context.mean"] = model.context_mean.numpy()
        t["context.std"] = model.context_std.numpy()
    for l, level in enumerate(model.tcn):
        for part in ("conv1", "conv2", "downsample"):
            conv = getattr(level, part)
            if conv is not None:
                t[f"tcn.{l}.{part}.weight"] = _plain_weight(conv)
                t[f"tcn.{l}.{part}.bias"] = conv.bias.detach().numpy()
    for m, layer in enumerate(model.mlp):
        t[f"mlp.{m}.weight"] = layer.weight.detach().numpy()
        t[f"mlp.{m}.bias"] = layer.bias.detach().numpy()
    meta = {"ngs.kind": "pass", "ngs.format": "1", "sbp.lower": repr(float(lower)),
            "sbp.upper": repr(float(upper)), "sbp.alpha": repr(float(alpha))}
    if context_names:
        meta["context.names"] = ",".join(context_names)
    if description:
        meta["description"] = description
    write_safetensors(path, t, meta)


def load(path):
    """A PassModel (plain weights) and its metadata from a weight file."""
    t, meta = read_safetensors(path)
    channels, kernels = [], []
    while f"tcn.{len(channels)}.conv1.weight" in t:
        w = t[f"tcn.{len(channels)}.conv1.weight"]
        channels.append(w.shape[0])
        kernels.append(w.shape[2])
    widths = []
    while f"mlp.{len(widths)}.weight" in t:
        widths.append(t[f"mlp.{len(widths)}.weight"].shape[0])
    context = t["context.mean"].shape[0] if "context.mean" in t else 0
    model = PassModel(channels, kernels, context, widths[:-1], widths[-1] - HEAD)
    state = {"input_mean": t["input.mean"], "input_std": t["input.std"],
             "context_mean": t.get("context.mean", np.zeros(0, np.float32)),
             "context_std": t.get("context.std", np.ones(0, np.float32))}
    state.update({k: v for k, v in t.items() if k.startswith(("tcn.", "mlp."))})
    model.load_state_dict({k: torch.from_numpy(np.asarray(v)) for k, v in state.items()})
    return model.eval(), meta


# --------------------------------------------------------------------------
# The SBP the head describes (float64, from shared/design/sbp.md)
# --------------------------------------------------------------------------

TINY_XI = 1e-12


def softplus(x):
    x = float(x)
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def head(outputs, lower, upper, alpha):
    """The SBP parameters of the network's bins + 4 outputs."""
    o = np.asarray(outputs, dtype=np.float64)
    n = o.size - HEAD
    logits = o[:n]
    p = np.exp(logits - logits.max())
    return {"lower": float(lower), "upper": float(upper), "alpha": float(alpha), "mass": p / p.sum(),
            "xi_lo": softplus(o[n]), "beta_lo": softplus(o[n + 1]) + BETA_FLOOR,
            "xi_hi": softplus(o[n + 2]), "beta_hi": softplus(o[n + 3]) + BETA_FLOOR}


def _gpd_cdf(z, xi, beta):
    if abs(xi) < TINY_XI:
        return -math.expm1(-z / beta)
    if xi < 0 and z >= -beta / xi:
        return 1.0
    return -math.expm1(-math.log1p(xi * z / beta) / xi)


def _gpd_quantile(u, xi, beta):
    if abs(xi) < TINY_XI:
        return -beta * math.log1p(-u)
    return beta * math.expm1(-xi * math.log1p(-u)) / xi


def _body(d):
    n = d["mass"].size
    w = (d["upper"] - d["lower"]) / n
    return n, w, np.concatenate([[0.0], np.cumsum(d["mass"])])


def _body_cdf(d, x):
    n, w, C = _body(d)
    if x < d["lower"]:
        return 0.0
    if x >= d["upper"]:
        return 1.0
    k = min(int((x - d["lower"]) // w), n - 1)
    return C[k] + d["mass"][k] * (x - (d["lower"] + k * w)) / w


def _body_quantile(d, q):
    n, w, C = _body(d)
    k = next((k for k in range(1, n + 1) if C[k] > q), n)
    return d["lower"] + (k - 1) * w + w * (q - C[k - 1]) / d["mass"][k - 1]


def splice_points(d):
    return _body_quantile(d, d["alpha"]), _body_quantile(d, 1 - d["alpha"])


def sbp_cdf(d, x):
    a = d["alpha"]
    lo, hi = splice_points(d)
    if x < lo:
        return a * (1 - _gpd_cdf(lo - x, d["xi_lo"], d["beta_lo"]))
    if x > hi:
        return 1 - a + a * _gpd_cdf(x - hi, d["xi_hi"], d["beta_hi"])
    return _body_cdf(d, x)


def sbp_quantile(d, q):
    a = d["alpha"]
    lo, hi = splice_points(d)
    if q < a:
        return lo - _gpd_quantile(1 - q / a, d["xi_lo"], d["beta_lo"])
    if q > 1 - a:
        return hi + _gpd_quantile((q - (1 - a)) / a, d["xi_hi"], d["beta_hi"])
    return _body_quantile(d, q)
