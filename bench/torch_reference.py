#!/usr/bin/env python3
"""BENCH-1 (../shared/bench/BENCH-1.md) the report's way, as the yardstick for `npm run bench
-- --against-torch`: PyTorch, float32, 2 threads, a one-sample Lagrangian differentiated with
functorch (torch.func in newer PyTorch): `hessian` and `jacrev` for the Euler-Lagrange route,
vmapped over the points; optimizers by autograd through that route.

Prints one JSON row per workload and size (workload key, n, median/min/max ms over the timed
runs after one warm-up, unit, result) on stdout, or writes them with --json FILE. Not part of
`npm test` or CI: it needs Debian's python3-torch (apt-get install python3-torch)."""
import argparse
import json
import statistics
import sys
import time

import torch

try:  # PyTorch 2: torch.func; Debian's 1.13: functorch
    from torch.func import functional_call, hessian, jacrev, vmap
except ImportError:  # pragma: no cover - depends on the installed torch
    from functorch import hessian, jacrev, vmap
    from torch.nn.utils.stateless import functional_call


def mulberry32(seed):
    """The reference generator of BENCH-1 (same draws as the JavaScript reference run)."""
    state = seed & 0xFFFFFFFF

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return draw


def bench_points(n, half_plane=False):
    draw = mulberry32(1)
    cols = [[2 * draw() - 1 for _ in range(n)] for _ in range(4)]
    x = torch.tensor(list(zip(*cols)), dtype=torch.float32)
    q0, q1 = x[:, 0], x[:, 1]
    keep = (q1 > q0 + 0.1) if half_plane else ((q0 - q1).abs() >= 0.1)
    return x[keep]


def coulomb_lagrangian(params, x):
    """L = ½|q̇|² − ½k|q|² − α/|q0 − q1| for one sample x = (q0, q1, q̇0, q̇1)."""
    k, alpha = params[0], params[1]
    q, qd = x[:2], x[2:]
    return 0.5 * (qd * qd).sum() - 0.5 * k * (q * q).sum() - alpha / (q[0] - q[1]).abs()


def coupling_lagrangian(c, x, order=8, k=4.0):
    """The report's eq. (4): ½|q̇|² − ½k|q|² − Σ_ij c_ij q0^i q1^j (c is 9 × 9)."""
    q, qd = x[:2], x[2:]
    powers = torch.arange(order + 1, dtype=x.dtype)
    p0 = q[0] ** powers
    p1 = q[1] ** powers
    return 0.5 * (qd * qd).sum() - 0.5 * k * (q * q).sum() - (p0[:, None] * c * p1[None, :]).sum()


def accelerations(lagrangian, params, x):
    """q̈ = (∂²L/∂q̇²)⁻¹ (∂L/∂q − (∂²L/∂q̇∂q) q̇) for one sample, by hessian and jacrev."""
    g = jacrev(lagrangian, argnums=1)(params, x)
    h = hessian(lagrangian, argnums=1)(params, x)
    mass = h[2:, 2:]
    mixed = h[2:, :2]
    return torch.linalg.solve(mass, g[:2] - mixed @ x[2:])


def batch_accelerations(lagrangian, params, x):
    return vmap(accelerations, in_dims=(None, None, 0))(lagrangian, params, x)


def mlp(inputs, hidden, outputs):
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden),
        torch.nn.Softplus(),
        torch.nn.Linear(hidden, hidden),
        torch.nn.Softplus(),
        torch.nn.Linear(hidden, outputs),
    )


def neural_step(kind, hidden, x, y):
    """W5: one Adam step of a plain LNN (Cranmer et al. 2020, L = MLP(q, q̇)) or of the structured
    family (Lutter et al. 2019, L = ½q̇ᵀ(LLᵀ + εI)q̇ − V(q)) on the double pendulum's 4-dimensional
    state, MLP (h, h) softplus, the Euler-Lagrange route by hessian and jacrev, vmapped (as
    ../shared/bench/anchors/lnn_step.py)."""
    d = 2
    if kind == "plain":
        net = mlp(2 * d, hidden, 1)
        params = dict(net.named_parameters())

        def lagrangian(p, s):
            return functional_call(net, p, (s,)).squeeze()
    else:
        mass, potential = mlp(d, hidden, d * (d + 1) // 2), mlp(d, hidden, 1)
        params = {**{"m." + k: v for k, v in mass.named_parameters()},
                  **{"v." + k: v for k, v in potential.named_parameters()}}
        tri = torch.tril_indices(d, d)

        def lagrangian(p, s):
            q, qd = s[:d], s[d:]
            e = functional_call(mass, {k[2:]: v for k, v in p.items() if k[0] == "m"}, (q,))
            lower = torch.zeros(d, d).index_put((tri[0], tri[1]), e)
            diagonal = torch.diagonal(lower)
            lower = lower - torch.diag(diagonal) + torch.diag(torch.nn.functional.softplus(diagonal))
            m = lower @ lower.T + 1e-3 * torch.eye(d)
            v = functional_call(potential, {k[2:]: v for k, v in p.items() if k[0] == "v"}, (q,))
            return 0.5 * qd @ m @ qd - v.squeeze()

    def acceleration(p, s):
        g = jacrev(lagrangian, argnums=1)(p, s)
        h = hessian(lagrangian, argnums=1)(p, s)
        return torch.linalg.solve(h[d:, d:], g[:d] - h[d:, :d] @ s[d:])

    batch = vmap(acceleration, in_dims=(None, 0))
    adam = torch.optim.Adam(params.values(), lr=1e-3)

    def step():
        loss = ((batch(params, x) - y) ** 2).sum(1).mean()
        adam.zero_grad()
        loss.backward()
        adam.step()
        return float(loss)

    return step


def timed(fn, runs, warm_up=True):
    if warm_up:
        fn()  # warm-up
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def row(key, n, times, unit, result, per=1):
    ms = [t / per for t in times]
    return {
        "key": key,
        "n": n,
        "medianMs": statistics.median(ms),
        "minMs": min(ms),
        "maxMs": max(ms),
        "unit": unit,
        "result": result,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", default="1000,10000")
    ap.add_argument("--only", default="W1,W2,W3,W4,W5")
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    only = set(args.only.split(","))
    truth = torch.tensor([4.0, 1.0])
    rows = []
    for n in [int(s) for s in args.n.split(",")]:
        x = bench_points(n)
        m = x.shape[0]
        data = batch_accelerations(coulomb_lagrangian, truth, x)
        if "W1" in only:
            times, qdd = timed(lambda: batch_accelerations(coulomb_lagrangian, truth, x), args.runs)
            rows.append(row("W1", n, times, "ms", f"mean |q̈| {qdd.norm(dim=1).mean().item():.6f}"))
        if "W2" in only:
            ks = torch.linspace(0, 8, 200)
            alphas = torch.linspace(0, 2, 200)

            def landscape():
                # one row of 200 cells at a time: vmap over the cells of vmap over the points
                def cell_loss(k, alpha):
                    model = batch_accelerations(coulomb_lagrangian, torch.stack([k, alpha]), x)
                    return ((model - data) ** 2).sum()

                grid = torch.empty(200, 200)
                with torch.no_grad():
                    for iy, alpha in enumerate(alphas):
                        grid[iy] = vmap(cell_loss, in_dims=(0, None))(ks, alpha)
                iy, ix = divmod(int(torch.argmin(grid)), 200)
                return ks[ix].item(), alphas[iy].item()

            # minutes per landscape at n = 10 000: no warm-up there (nothing left to warm)
            times, (kmin, amin) = timed(
                landscape, max(1, args.runs if n <= 1000 else 1), warm_up=n <= 1000
            )
            rows.append(row("W2-general", n, times, "ms", f"min at ({kmin:.4f}, {amin:.5f})"))
        if "W3" in only:
            for algorithm, lr in (("gd", 0.001), ("adam", 0.01)):

                def fit():
                    params = torch.tensor([1.0, 0.2], requires_grad=True)
                    adam = torch.optim.Adam([params], lr=lr) if algorithm == "adam" else None
                    for _ in range(args.steps):
                        model = batch_accelerations(coulomb_lagrangian, params, x)
                        loss = ((model - data) ** 2).sum(dim=1).mean()
                        (grad,) = torch.autograd.grad(loss, params)
                        if adam:
                            params.grad = grad
                            adam.step()
                        else:
                            with torch.no_grad():
                                params -= lr * grad
                    return params.detach(), loss.item()

                times, (p, loss) = timed(fit, args.runs)
                rows.append(
                    row(
                        f"W3-{algorithm}",
                        n,
                        times,
                        "ms/step",
                        f"k {p[0].item():.4f}, alpha {p[1].item():.4f}, loss {loss:.3e}",
                        per=args.steps,
                    )
                )
        if "W4" in only:
            xh = bench_points(n, half_plane=True)
            truth_h = batch_accelerations(coulomb_lagrangian, truth, xh)

            def poly_fit():
                c = torch.zeros(9, 9, requires_grad=True)
                adam = torch.optim.Adam([c], lr=0.001)
                for _ in range(args.steps):
                    model = batch_accelerations(coupling_lagrangian, c, xh)
                    loss = ((model - truth_h) ** 2).sum(dim=1).mean()
                    (c.grad,) = torch.autograd.grad(loss, c)
                    adam.step()
                return loss.item()

            times, loss = timed(poly_fit, args.runs)
            rows.append(row("W4-adam", n, times, "ms/step", f"loss {loss:.4e}", per=args.steps))
        if "W5" in only:
            # the double pendulum's state: q, q̇ uniform in [−1, 1]⁴, 1000 or 10 000 points
            generator = torch.Generator().manual_seed(n)
            xs = torch.rand(n, 4, generator=generator) * 2 - 1
            ys = torch.randn(n, 2, generator=generator)
            steps = max(1, min(args.steps, 50 if n <= 2000 else 10))
            for kind in ("plain", "structured"):
                for hidden in (32, 64):
                    step = neural_step(kind, hidden, xs, ys)

                    def run(step=step):
                        for _ in range(steps):
                            loss = step()
                        return loss

                    times, loss = timed(run, args.runs)
                    key = f"W5-{kind}-{hidden}"
                    rows.append(row(key, n, times, "ms/step", f"loss {loss:.4e}", per=steps))
        print(f"torch: n={n} ({m} points) done", file=sys.stderr)
    text = json.dumps({"torch": torch.__version__, "threads": args.threads, "rows": rows}, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
