"""One face-bag training run on the group photos with the settings given, to compare poolings, learning rates, epochs and crop sizes.

    .venv/bin/python bench/bench_face_settings.py POOLING LR EPOCHS SEED [LR_MULT] [--crop 96] [--data ../shared/datasets/multimask]

POOLING is one of max, noisy_or, lse, mean, or attention: gated attention-based multiple-instance pooling (Ilse, Tomczak
and Welling, 2018), per class, over the face classifier's penultimate features, here only (`AttentionBagModel`: the
exported formats pool with `faces.pool_faces`, which has no weights to learn); LR a learning rate, or `find` for `lr_find`'s valley; EPOCHS the unfrozen
epochs after one frozen one. The faces are found once and cached in `build/face_cache` (a run's time after the first
excludes detection). Prints the per-epoch lines, then F1 per class, macro F1 and exact match on the seed's 20%
validation split at the per-class thresholds chosen on it, as `masksclf train` exports them, and the wall time.
The runs quoted in bench/README ran one at a time, each in its own process.
"""
import argparse, time
from dataclasses import replace
import pandas as pd, torch
from torch import nn
from fastai.vision.all import set_seed, Module, L, params
from masksclf.core.files import MULTIMASK
from masksclf.core.settings import TrainSettings, FaceSettings, POOLINGS
from masksclf.learning.face_bags import FaceCropCache, face_bag_dataloaders, face_bag_learner
from masksclf.learning.devices import fast_training
from masksclf.learning.train import train_mask_model
from masksclf.runs.pipeline import evaluate_model
from masksclf.learning.thresholds import class_report

class AttentionBagModel(Module):
    "A face classifier (`body`, `head`) on the real faces of each bag; a photo's logit per class is the mean of its faces' logits weighted by gated attention over the head's penultimate features."
    def __init__(self, face_model:nn.Module, n_classes:int, dim=128):
        self.face_model, n_feat = face_model, face_model[1][-1].in_features
        self.V, self.U, self.w = nn.Linear(n_feat, dim), nn.Linear(n_feat, dim), nn.Linear(dim, n_classes)
    def forward(self, bags, counts):
        real = torch.arange(bags.shape[1], device=bags.device)[None] < counts[:, None]
        h = self.face_model[1][:-1](self.face_model[0](bags[real]))
        z, a = self.face_model[1][-1](h), self.w(torch.tanh(self.V(h)) * torch.sigmoid(self.U(h)))
        Z = z.new_zeros(*real.shape, z.shape[-1]).masked_scatter(real[..., None], z)
        A = a.new_full((*real.shape, a.shape[-1]), float('-inf')).masked_scatter(real[..., None], a)
        return (torch.softmax(A.float(), 1) * Z.float()).sum(1)

def attention_splitter(m:AttentionBagModel): return L(m.face_model[0], nn.ModuleList([m.face_model[1], m.V, m.U, m.w])).map(params)

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('pooling', choices=[*POOLINGS, 'attention']); p.add_argument('lr'); p.add_argument('epochs', type=int); p.add_argument('seed', type=int)
    p.add_argument('lr_mult', type=float, nargs='?', default=10.)
    p.add_argument('--crop', type=int, default=FaceSettings.crop); p.add_argument('--data', default=str(MULTIMASK))
    a = p.parse_args()
    t0 = time.time()
    df = pd.read_csv(f'{a.data}/labels.csv')[['fname', 'labels']]
    cache = FaceCropCache(replace(FaceSettings(), crop=a.crop), path='build/face_cache')
    set_seed(a.seed, reproducible=True)
    settings = TrainSettings(seed=a.seed, pooling='max' if a.pooling == 'attention' else a.pooling)
    dls = face_bag_dataloaders(df, a.data, cache, settings=settings)
    learn = face_bag_learner(dls, settings, path='build/bench_face_settings')
    if a.pooling == 'attention': learn.model, learn.splitter = AttentionBagModel(learn.model.face_model, len(dls.vocab)), attention_splitter
    with fast_training(learn), learn.no_bar(), learn.no_logging():
        lr, _, _ = train_mask_model(learn, replace(settings, epochs=a.epochs, lr=None if a.lr == 'find' else float(a.lr), lr_mult=a.lr_mult),
                                    log=lambda m: print(f'[{time.time()-t0:.0f}s] {m}', flush=True))
    ev = evaluate_model(learn); s = ev.scores()['at_class_thresholds']
    f1 = class_report(ev.probs, ev.targets, ev.vocab, ev.thresholds).f1.round(3).to_dict()
    print(f"RESULT crop {a.crop} {a.pooling} lr {lr:.2g} epochs {a.epochs} seed {a.seed} lr_mult {a.lr_mult:g}: {f1} macro {s['f1_macro']:.3f} "
          f"exact {s['accuracy_exact']:.3f} {time.time()-t0:.0f}s", flush=True)

if __name__ == '__main__': main()
