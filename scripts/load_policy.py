"""Load a Crl policy export (policy.safetensors) and act with it, using only torch.

    python3 scripts/load_policy.py policy.safetensors     # prints the metadata and one deterministic action

docs/policy-export.md describes the file. read_safetensors needs only the standard library; torch is imported
where tensors are made, so the reader can be checked without it.
"""
import json
import struct
import sys

DTYPES = {"F32": "float32", "F64": "float64", "I64": "int64", "U8": "uint8"}


def read_safetensors(path):
    """(metadata, {name: (dtype, shape, raw bytes)}): an 8-byte little-endian header length, a JSON header, data."""
    with open(path, "rb") as f:
        blob = f.read()
    (header_len,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + header_len])
    data = blob[8 + header_len:]
    metadata = header.pop("__metadata__", {})
    return metadata, {name: (t["dtype"], t["shape"], data[t["data_offsets"][0]:t["data_offsets"][1]])
                      for name, t in header.items()}


def load_tensors(path):
    import torch
    metadata, raw = read_safetensors(path)
    return metadata, {name: torch.frombuffer(bytearray(buf), dtype=getattr(torch, DTYPES[dtype])).reshape(shape)
                      for name, (dtype, shape, buf) in raw.items()}


def policy(path):
    """The actor as a function obs -> (deterministic action, mean, log_std); obs = state ‖ goal, shape (B, O)."""
    import torch
    import torch.nn.functional as F
    meta, sd = load_tensors(path)
    depth, eps = int(meta["depth"]), float(meta["layer_norm_eps"])
    lo, hi = float(meta["log_std_min"]), float(meta["log_std_max"])
    # The ablation switches; exports written before they existed use the paper's Swish and skips.
    activation = F.relu if meta.get("activation", "swish").lower() == "relu" else F.silu
    residual = meta.get("residual", "true").lower() != "false"

    def layer(p, x):
        w = sd[p + ".norm.weight"]
        return activation(F.layer_norm(F.linear(x, sd[p + ".dense.weight"], sd[p + ".dense.bias"]), w.shape, w, sd[p + ".norm.bias"], eps))

    def act(obs):
        h = layer("trunk.inputProjection", obs)
        for b in range(depth // 4):
            r = h
            for l in range(4):
                r = layer(f"trunk.blocks.{b}.layers.{l}", r)
            h = h + r if residual else r
        mean = F.linear(h, sd["mean.weight"], sd["mean.bias"])
        log_std = lo + 0.5 * (hi - lo) * (torch.tanh(F.linear(h, sd["logStd.weight"], sd["logStd.bias"])) + 1)
        return torch.tanh(mean), mean, log_std

    return meta, act


if __name__ == "__main__":
    import torch
    meta, act = policy(sys.argv[1])
    print(meta)
    obs = torch.zeros(1, int(meta["state_dim"]) + int(meta["goal_dim"]))
    print("action for a zero observation:", act(obs)[0].tolist())
