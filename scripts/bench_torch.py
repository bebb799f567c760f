"""PyTorch reference for `npm run bench`: the same six models, data, batch and optimiser.

`npm run bench` runs this script (with $BENCH_PYTHON or /usr/bin/python3) in the same session, in
several thread settings (torch's own threads with --threads; OpenBLAS's with OPENBLAS_NUM_THREADS,
which must be set before the process starts), so that the tfjs figures can be read as ratios
against a native framework's fastest setting on the same machine and load. It is optional: the
course itself never needs Python.

    OPENBLAS_NUM_THREADS=2 python3 scripts/bench_torch.py --steps 30 --threads 1 --batch 128

Prints the BLAS library in use ({"blas", "torch"}), then one JSON object per model on stdout:
{"model", "steps", "msPerStep"}. Time covers the
forward pass, loss, backward pass and Adam update of `steps` batches of 128 MNIST digits, after
two warm-up steps, as the tfjs bench does.
"""
import argparse
import gzip
import json
import os
import re
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 128
WARM_UP_STEPS = 2
HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, '..', 'datasets', 'mnist', 'train-images-idx3-ubyte.gz')
SERIES = os.path.join(HERE, '..', 'datasets', 'ucr-anomaly', '135_UCR_Anomaly_InternalBleeding16.csv')
SERIES_TRAIN_LENGTH = 1200  # UCR 135's training part: the first 1,200 points (the file name's figure)
WINDOW = 32


def load_images(count):
    with gzip.open(IMAGES, 'rb') as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], 'big')
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, 28, 28)
    if count > n:
        pixels = np.concatenate([pixels] * (count // n + 1))
    return torch.from_numpy(pixels[:count].astype(np.float32) / 255.0)


def load_windows(count):
    """`count` windows of WINDOW steps of the shipped series, standardised by its training part (as bench.ts)."""
    values = np.loadtxt(SERIES, delimiter=',', skiprows=1, usecols=1)
    train = values[:SERIES_TRAIN_LENGTH]
    values = (values - train.mean()) / train.std()
    windows = np.stack([values[i:i + WINDOW] for i in range(len(values) - WINDOW + 1)])
    if count > len(windows):
        windows = np.concatenate([windows] * (count // len(windows) + 1))
    return torch.from_numpy(windows[:count, :, None].astype(np.float32))


class Dense(nn.Module):
    """784-256-64-256-784, relu, sigmoid output, mean squared error (the lesson's dense AE)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())

    def loss(self, x):
        return ((self.decoder(self.encoder(x)) - x) ** 2).mean()


class Conv(nn.Module):
    """conv 16/8 filters, 3×3, stride 2, 'same' padding → dense code 32 → mirrored transposed convs."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(392, 32))
        self.decoder = nn.Sequential(
            nn.Linear(32, 392), nn.ReLU(), nn.Unflatten(1, (8, 7, 7)),
            nn.ConvTranspose2d(8, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def loss(self, x):
        return ((self.decoder(self.encoder(x)) - x) ** 2).mean()


class OneLayer(nn.Module):
    """784-1024-784 with a sigmoid code and a penalty: 'kl' (ρ=0.05, β=0.05) or 'contractive' (λ=1e-4)."""

    def __init__(self, penalty):
        super().__init__()
        self.penalty = penalty
        self.enc = nn.Linear(784, 1024)
        self.dec = nn.Linear(1024, 784)

    def loss(self, x):
        h = torch.sigmoid(self.enc(x))
        mse = ((torch.sigmoid(self.dec(h)) - x) ** 2).mean()
        if self.penalty == 'kl':
            rho, q = 0.05, h.mean(0).clamp(1e-6, 1 - 1e-6)
            kl = (rho * torch.log(rho / q) + (1 - rho) * torch.log((1 - rho) / (1 - q))).sum()
            return mse + 0.05 * kl
        # ‖∂h/∂x‖²_F for h = σ(Wx + b): Σ_j (h_j(1−h_j))² Σ_i W_ji², averaged over the batch.
        w2 = (self.enc.weight ** 2).sum(1)
        return mse + 1e-4 * (((h * (1 - h)) ** 2) * w2).sum(1).mean()


class Vae(nn.Module):
    """784-256-64 VAE, Bernoulli decoder, loss = BCE summed over pixels + KL, averaged over the batch."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(784, 256), nn.ReLU())
        self.mean = nn.Linear(256, 64)
        self.log_var = nn.Linear(256, 64)
        self.decoder = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())

    def loss(self, x):
        h = self.body(x)
        mu, log_var = self.mean(h), self.log_var(h)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        p = self.decoder(z)
        bce = nn.functional.binary_cross_entropy(p, x, reduction='sum') / x.shape[0]
        kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).sum() / x.shape[0]
        return bce + kl


class Lstm(nn.Module):
    """LSTM encoder (1 → 8, its last state the code), the code repeated 32 times, LSTM decoder (8 → 32,
    every step), a dense layer per step (32 → 1); mean squared error (lesson 09's model)."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.LSTM(1, 8, batch_first=True)
        self.decoder = nn.LSTM(8, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def loss(self, x):
        _, (h, _) = self.encoder(x)
        code = h[-1].unsqueeze(1).expand(-1, x.shape[1], -1)
        states, _ = self.decoder(code)
        return ((self.out(states) - x) ** 2).mean()


CASES = [
    ('dense 784-256-64-256-784', 'flat', Dense),
    ('conv 16/8 filters, stride 2', 'image', Conv),
    ('sparse KL 784-1024-784', 'flat', lambda: OneLayer('kl')),
    ('contractive 784-1024-784', 'flat', lambda: OneLayer('contractive')),
    ('VAE 784-256-64', 'flat', Vae),
    ('LSTM 32 steps, code 8', 'sequence', Lstm),
]


def blas_library():
    """The BLAS this torch uses: its build's BLAS_INFO (e.g. mkl, linked in), and the BLAS libraries
    the process has loaded after a product has run, from /proc/self/maps (e.g. Debian's OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    built = ['BLAS_INFO=' + m for m in re.findall(r'BLAS_INFO=([^,\s]+)', torch.__config__.show())]
    try:
        with open('/proc/self/maps') as maps:
            names = {line.split()[-1] for line in maps if 'blas' in line.lower() or 'mkl' in line.lower()}
    except OSError:
        names = set()
    found = built + sorted(n for n in names if '/' in n)
    return ', '.join(found) or 'none found (built-in)'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=30)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--batch', type=int, default=128)
    args = parser.parse_args()
    global BATCH
    BATCH = args.batch
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    print(json.dumps({'blas': blas_library(), 'torch': torch.__version__}))
    sys.stdout.flush()
    images = load_images(BATCH * (args.steps + WARM_UP_STEPS))
    windows = load_windows(BATCH * (args.steps + WARM_UP_STEPS))
    for name, layout, make in CASES:
        model = make()
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
        data = {'image': lambda: images.reshape(-1, 1, 28, 28), 'flat': lambda: images.reshape(-1, 784),
                'sequence': lambda: windows}[layout]()

        def step(i):
            optimiser.zero_grad()
            loss = model.loss(data[i * BATCH:(i + 1) * BATCH])
            loss.backward()
            optimiser.step()
            return loss

        for i in range(WARM_UP_STEPS):
            step(i)
        start = time.perf_counter()
        for i in range(WARM_UP_STEPS, WARM_UP_STEPS + args.steps):
            loss = step(i)
        loss.item()
        seconds = time.perf_counter() - start
        print(json.dumps({'model': name, 'steps': args.steps, 'msPerStep': 1000 * seconds / args.steps}))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
