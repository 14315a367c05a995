"""A small GRU that reads the last ``seq_len`` days of causal inputs and outputs quantiles of the h-day
log return for every horizon asked, trained with the pinball loss (the optional extra ``deep``).

Why this shape: nearly all attainable skill is volatility timing, so the network predicts, per horizon,
a location, a log scale and a skew (left and right scales) from the GRU's last state and, through a
linear skip, the last day's inputs (so a HAR-like log-linear volatility rule is learnt at once and the
recurrence adds what the sequence tells beyond it), times a global
monotone shape z_1 < ... < z_K (cumulative softplus increments, z = 0 at the median) learned with it.
Every quantile is loc + scale_side * z_k, so the quantiles are monotone by construction. Targets are
scaled by the training window's daily volatility times sqrt(h); the network starts as a normal with
that volatility and learns departures from it.

Levels: the network fits the K = 15 coarse levels of :data:`COARSE`; the 99 levels are interpolated
linearly in normal-score space (Phi^-1 of the level), which is exact for a normal and keeps the tails
at q01/q99 fitted, not extrapolated. ``mean`` is the mean of the 99 quantiles (midpoint rule);
``p_up`` = 1 - F(0) with F interpolated between the quantiles (clamped to [0.01, 0.99]).

Training (at each refit): samples whose h-day targets all end on or before the origin (and start at
least ``History.gap`` days before it), the last ``val_frac`` of them in time (after a purge of the
longest horizon) held out to stop early, ``samples_per_epoch`` sequences drawn per epoch. ``n_nets``
networks from consecutive seeds are trained and their coarse quantiles averaged (quantile averaging
keeps them monotone; two nets beat one on origins before 2016). They are trained at the first
``predict`` after ``fit`` (only then are the horizons known), from data of the fit's history only;
between refits ``update`` keeps them and ``predict`` reads the new window.

Deterministic on CPU: the seed comes from the engine's fit generator; training runs with one thread,
deterministic algorithms and a forked torch RNG, so parallel and serial backtests agree bit for bit.
torch is imported lazily: importing this module (or the registry) never imports it.
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np
import pandas as pd
from scipy import stats

from r2k.errors import DataError, R2KError
from r2k.models.base import LEVELS, Capabilities, Distribution, History
from r2k.models.rnn_inputs import Scaler, complete_windows, input_frame, last_window

COARSE: np.ndarray = np.array([0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99])
MEDIAN = 7
# NFCI left the default inputs with the other full-sample re-estimated indexes (r2k.macro.catalog.MODEL_FACTORS)
MACRO_DEFAULT: tuple[str, ...] = ("z:hy_oas", "z:curve_10y2y", "z:claims_4w")


class DeepExtraMissing(R2KError):
    """torch (the optional extra 'deep') is not installed."""


MISSING_TORCH = ("the rnn model needs the optional extra 'deep' (pip install torch==2.13.0 first, "
                 "then pip install -e '.[deep]')")


def import_torch() -> Any:
    """torch, or DeepExtraMissing with the install instructions in one line."""
    try:
        import torch
    except ImportError as exc:
        raise DeepExtraMissing(MISSING_TORCH) from exc
    return torch


def distribution_from_quantiles(q: np.ndarray) -> Distribution:
    """Mean (average of the 99 quantiles) and P(up) = 1 - F(0), F interpolated between the quantiles."""
    q = np.maximum.accumulate(np.asarray(q, dtype=float))
    cdf0 = float(np.interp(0.0, q, LEVELS)) if q[-1] > q[0] else (0.01 if q[0] > 0 else 0.99)
    return Distribution(float(q.mean()), q, 1.0 - cdf0)


def to_99(coarse: np.ndarray) -> np.ndarray:
    """Interpolate quantiles at :data:`COARSE` to the 99 levels, linearly in normal score."""
    return np.interp(stats.norm.ppf(LEVELS), stats.norm.ppf(COARSE), coarse)


@contextmanager
def deterministic(torch: Any, seed: int) -> Iterator[None]:
    """One thread, deterministic kernels and a private RNG stream; global torch state restored after."""
    threads, strict = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            yield
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(strict)


def _build(torch: Any, n_in: int, hidden: int, n_h: int) -> Any:
    nn = torch.nn
    net = nn.ModuleDict({"gru": nn.GRU(n_in, hidden, batch_first=True), "head": nn.Linear(hidden + n_in, 3 * n_h)})
    with torch.no_grad():
        net["head"].weight.mul_(0.1)
        net["head"].bias.zero_()
    z0 = stats.norm.ppf(COARSE)
    inc = np.diff(z0)  # softplus^-1 of the normal increments: the shape starts normal
    raw = np.log(np.expm1(inc))
    net.shape_lo = nn.Parameter(torch.tensor(np.tile(raw[:MEDIAN][::-1].copy(), (n_h, 1)), dtype=torch.float32))
    net.shape_hi = nn.Parameter(torch.tensor(np.tile(raw[MEDIAN:], (n_h, 1)), dtype=torch.float32))
    return net


def _quantiles(torch: Any, net: Any, x: Any) -> Any:
    """(batch, horizons, K) scaled quantiles of a batch of sequences (batch, seq_len, inputs)."""
    f = torch.nn.functional
    _, h = net["gru"](x)
    out = net["head"](torch.cat([h[-1], x[:, -1, :]], dim=1)).view(x.shape[0], -1, 3)  # GRU state + a skip
    loc, log_scale, skew = out[..., 0], 2.0 * torch.tanh(out[..., 1] / 2.0), 0.5 * torch.tanh(out[..., 2])
    hi = torch.cumsum(f.softplus(net.shape_hi), dim=1)
    lo = -torch.flip(torch.cumsum(f.softplus(net.shape_lo), dim=1), dims=[1])
    z = torch.cat([lo, torch.zeros_like(hi[:, :1]), hi], dim=1)  # (horizons, K)
    side = torch.exp(log_scale.unsqueeze(-1) + skew.unsqueeze(-1) * torch.sign(z))
    return loc.unsqueeze(-1) + side * z


def pinball(torch: Any, q: Any, y: Any, tau: Any) -> Any:
    """Mean quantile loss of quantiles q (B, J, K) for outcomes y (B, J) at levels tau (K,)."""
    u = y.unsqueeze(-1) - q
    return torch.maximum(tau * u, (tau - 1.0) * u).mean()


@dataclass
class RecurrentQuantile:
    """GRU quantile network; see the module docstring. ``required``/``optional``/``macro`` name input columns."""

    seq_len: int = 20
    hidden: int = 16
    epochs: int = 30
    patience: int = 4
    batch: int = 128
    samples_per_epoch: int = 1024
    lr: float = 0.003
    val_frac: float = 0.2
    max_val: int = 512
    min_samples: int = 250
    n_nets: int = 2  # networks from different seeds whose quantiles are averaged (quantile averaging)
    required: tuple[str, ...] = ("GSPC",)
    optional: tuple[str, ...] = ("VIX",)
    macro: tuple[str, ...] = MACRO_DEFAULT
    name: str = "rnn"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(needs_features=True, supports_update=True,
                                                                            inputs=("GSPC",)))
    _fit: dict[str, Any] | None = field(default=None, init=False, repr=False)
    _nets: Any = field(default=None, init=False, repr=False)
    _horizons: tuple[int, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        if importlib.util.find_spec("torch") is None:
            raise DeepExtraMissing(MISSING_TORCH)

    def _frame(self, history: History) -> pd.DataFrame:
        return input_frame(history.closes, history.features, self.required, self.optional, self.macro, self.name)

    def fit(self, history: History, rng: np.random.Generator) -> None:
        """Fix the scaler and the training data of this refit; the network is trained at the next predict."""
        frame = self._frame(history)
        scaler = Scaler.fit(frame)
        x = scaler.transform(frame, self.name)
        r = np.diff(np.log(history.closes.to_numpy(dtype=float)))
        self._fit = {"scaler": scaler, "x": x, "ok": complete_windows(x, self.seq_len),
                     "logp": np.log(history.closes.to_numpy(dtype=float)), "gap": history.gap,
                     "sigma": float(np.std(r[np.isfinite(r)])), "seed": int(rng.integers(2**62)),
                     "origin": history.origin}
        self._nets, self._horizons = None, ()

    def update(self, history: History) -> None:
        """Keep the network between refits: the new origin's window is read at predict time."""

    def sample_ends(self, horizons: tuple[int, ...]) -> np.ndarray:
        """Positions t of training samples: a complete input window and every target t+h on or before
        the origin, with t at least max(longest h, gap) days before it (the purge)."""
        assert self._fit is not None
        n = len(self._fit["logp"])
        purge = max(max(horizons), self._fit["gap"])
        t = np.flatnonzero(self._fit["ok"])
        return t[t <= n - 1 - purge]

    def _train(self, horizons: tuple[int, ...]) -> None:
        torch = import_torch()
        fit = self._fit
        assert fit is not None
        H = np.array(horizons)
        ends = self.sample_ends(horizons)
        if len(ends) < self.min_samples:
            raise DataError(self.name, f"only {len(ends)} complete {self.seq_len}-day training sequences up to origin "
                            f"{fit['origin'].date()}, need {self.min_samples}", row=str(fit["origin"].date()))
        n_val = max(1, int(round(self.val_frac * len(ends))))
        val = ends[-n_val:]
        train = ends[ends < val[0] - H.max()]
        if len(train) < self.min_samples // 2:
            train, val = ends, ends[-n_val:]  # too short to hold out a purged tail: validate in-sample
        val = val[:: -(-len(val) // self.max_val)]  # at most max_val, spread over the whole tail
        nets = [self._train_one(torch, fit["seed"] + k, train, val, H) for k in range(self.n_nets)]
        self._nets, self._horizons = nets, tuple(horizons)

    def _train_one(self, torch: Any, seed: int, train: np.ndarray, val: np.ndarray, H: np.ndarray) -> Any:
        """One network trained from ``seed``, early-stopped on the validation tail (best epoch kept)."""
        fit = self._fit
        assert fit is not None
        logp, scale = fit["logp"], fit["sigma"] * np.sqrt(H)
        with deterministic(torch, seed):
            x = torch.from_numpy(fit["x"])
            offs = torch.arange(-self.seq_len + 1, 1)
            tau = torch.tensor(COARSE, dtype=torch.float32)

            def batch(t: np.ndarray) -> tuple[Any, Any]:
                y = (logp[t[:, None] + H] - logp[t][:, None]) / scale
                return x[torch.from_numpy(t)[:, None] + offs], torch.from_numpy(y.astype(np.float32))

            net = _build(torch, x.shape[1], self.hidden, len(H))
            opt = torch.optim.Adam(net.parameters(), lr=self.lr)
            pick = np.random.default_rng(seed)
            xv, yv = batch(val)
            best, best_state, stale = np.inf, None, 0
            for _ in range(self.epochs):
                idx = pick.choice(train, size=min(self.samples_per_epoch, len(train)), replace=False)
                for i in range(0, len(idx), self.batch):
                    xb, yb = batch(idx[i : i + self.batch])
                    opt.zero_grad()
                    pinball(torch, _quantiles(torch, net, xb), yb, tau).backward()
                    opt.step()
                with torch.no_grad():
                    loss = float(pinball(torch, _quantiles(torch, net, xv), yv, tau))
                if loss < best - 1e-6:
                    best, best_state, stale = loss, {k: v.clone() for k, v in net.state_dict().items()}, 0
                else:
                    stale += 1
                    if stale >= self.patience:
                        break
            if best_state is not None:
                net.load_state_dict(best_state)
        return net

    def predict(self, history: History, horizons: tuple[int, ...], rng: np.random.Generator) -> dict[int, Distribution]:
        if self._fit is None:
            raise RuntimeError(f"{self.name}: predict called before fit")
        if self._nets is None or not set(horizons) <= set(self._horizons):
            self._train(tuple(sorted(set(horizons) | set(self._horizons))))
        torch = import_torch()
        frame = self._frame(history)
        window = last_window(self._fit["scaler"].transform(frame, self.name), frame, self.seq_len, self.name)
        with deterministic(torch, self._fit["seed"]), torch.no_grad():
            x = torch.from_numpy(window.copy()).unsqueeze(0)
            q = np.mean([_quantiles(torch, net, x)[0].numpy().astype(float) for net in self._nets], axis=0)
        out = {}
        for h in horizons:
            j = self._horizons.index(h)
            out[h] = distribution_from_quantiles(to_99(q[j] * self._fit["sigma"] * np.sqrt(h)))
        return out

