"""Read a Lagrange Studio project (.lsproj) with Python's sqlite3 and NumPy only.

A project is one SQLite file. What this reads:
  runs      one row per run: id, name, status, step, final_loss, config (the study, JSON),
            results (JSON; non-finite numbers as the strings "Infinity", "-Infinity", "NaN")
  metrics   one row per recorded step: run_id, step, loss (REAL), parameters and gradient
            (BLOBs of little-endian float64, one value per model parameter)
  grids     dense fields: run_id, kind ('landscape', 'landscape-difference', 'landscape-zoom'),
            meta (JSON with x, y, xValues, yValues), nx, ny, data (BLOB, float64, row-major, y outer)

    import lagrange_project as lp
    runs = lp.runs("study.lsproj")                 # list of dicts, config and results parsed
    m = lp.metrics("study.lsproj", runs[0]["id"])  # dict of arrays: steps, loss, parameters, ...
    g = lp.grids("study.lsproj", runs[0]["id"])    # list of dicts with 2-D 'values' (ny, nx)

With pandas: pandas.DataFrame(m["parameters"], index=m["steps"], columns=m["names"]).
"""
import json
import math
import sqlite3

import numpy as np

_TAGS = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def _untag(value):
    """JSON values with the tagged non-finite numbers turned back into floats."""
    if isinstance(value, str):
        return _TAGS.get(value, value)
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if isinstance(value, dict):
        return {k: _untag(v) for k, v in value.items()}
    return value


def connect(path):
    """A read-only connection (the file is never changed)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def runs(path):
    with connect(path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM runs ORDER BY id").fetchall()
    out = []
    for r in rows:
        run = dict(r)
        run["config"] = json.loads(run["config"])
        run["results"] = _untag(json.loads(run["results"])) if run["results"] else None
        run.pop("checkpoint", None)
        out.append(run)
    return out


def metrics(path, run_id):
    """Steps, loss, and per-step parameters and gradients as (steps × p) arrays."""
    with connect(path) as db:
        rows = db.execute(
            "SELECT step, loss, parameters, gradient FROM metrics WHERE run_id = ? ORDER BY step",
            (run_id,),
        ).fetchall()
        results = db.execute("SELECT results FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    names = json.loads(results)["model"]["parameterNames"] if results else None
    return {
        "steps": np.array([r[0] for r in rows], dtype=np.int64),
        "loss": np.array([r[1] for r in rows], dtype=np.float64),
        "parameters": np.array([np.frombuffer(r[2], dtype="<f8") for r in rows]),
        "gradients": np.array([np.frombuffer(r[3], dtype="<f8") for r in rows]),
        "names": names,
    }


def grids(path, run_id):
    """Each grid with its axes: values[iy, ix] at (x[ix], y[iy])."""
    with connect(path) as db:
        rows = db.execute(
            "SELECT kind, meta, nx, ny, data FROM grids WHERE run_id = ? ORDER BY id", (run_id,)
        ).fetchall()
    out = []
    for kind, meta, nx, ny, data in rows:
        meta = _untag(json.loads(meta))
        out.append(
            {
                "kind": kind,
                "meta": meta,
                "x": np.array(meta["xValues"]),
                "y": np.array(meta["yValues"]),
                "values": np.frombuffer(data, dtype="<f8").reshape(ny, nx),
            }
        )
    return out
