"Does weighting interactions by recency help EASE/EDLAE on MovieLens 100k's time splits? (issue 24)"
# Usage: python tools/recency_probe.py [FOLDS]     FOLDS: comma-separated of time, utime, ms (default: time,utime)
# Every row fits `collabfilt.ranking.EASE` on the training part and scores full-catalogue top-10 lists of the test users
# that training knows with `collabfilt.metrics.user_metrics` (so NDCG is over known users only: the benchmark page's
# figures for the global time split also count the unknown users, as 0, and are lower by a constant factor).
import sys, numpy as np, pandas as pd, scipy.sparse as sp, torch
from collabfilt.data import load_ml100k
from collabfilt.crossval import chrono_split, user_stratified_split
from collabfilt.metrics import user_metrics
from collabfilt.ranking import EASE, interaction_weights

torch.set_num_threads(2)
df = load_ml100k()[['user','movie','rating','timestamp']]

def split(fold):
    "The (train, test) parts of `fold`, as `collabfilt.benchmark.rank_split` makes them, with their timestamps"
    if fold == 'utime': return chrono_split(df, 0.2, time='timestamp', item='movie')
    if fold == 'ms': return user_stratified_split(df, 0.25, seed=42, item='movie')
    late = df.timestamp >= df.timestamp.quantile(0.8)
    return df[~late],df[late]

def ndcg(fold, rule, lam, p, user_half=None, day_half=None):
    "NDCG@10 of EASE (`p`=0) or EDLAE on `fold`: weights by `rule`, the history's weights halved every `user_half` of the user's own later ratings, every weight halved every `day_half` days before training's last"
    trn,tst = split(fold)
    users,items = pd.Index(trn.user.unique()),pd.Index(trn.movie.unique())
    u,i = users.get_indexer(trn.user),items.get_indexer(trn.movie)
    w = interaction_weights(trn.rating, rule)
    if day_half: w = w * 0.5**((trn.timestamp.max() - trn.timestamp.to_numpy())/(day_half*86400))
    keep = w > 0
    mat = lambda v: sp.csr_matrix((v[keep], (u[keep], i[keep])), shape=(len(users), len(items)))
    B = EASE.fit(mat(w), lam=lam, p=p).B.numpy()
    later = trn.groupby('user').timestamp.rank(method='first', ascending=False).to_numpy() - 1
    Q = mat(w * 0.5**(later/user_half) if user_half else w)
    rel = tst if fold == 'ms' else tst[tst.rating >= 4]
    tu = users.get_indexer(pd.unique(rel.user)); tu = tu[tu >= 0]
    S = np.asarray(Q[tu] @ B)
    S[sp.csr_matrix((np.ones(len(u)), (u, i)), shape=Q.shape)[tu].toarray() > 0] = -np.inf  # every training pair is seen, whatever its weight
    top = np.argsort(-S, 1)[:, :10]
    preds = pd.DataFrame(dict(user=np.repeat(users[tu], 10), item=items[top.ravel()], score=np.tile(-np.arange(10.), len(tu))))
    truth = tst.rename(columns={'movie': 'item'})[['user','item','rating']].assign(**({'rating': 5.} if fold == 'ms' else {}))
    return user_metrics(truth[truth.user.isin(users)], preds, k=10).ndcg.mean()

ROWS = [('EASE ge4 (cornac EASE)', 'ge4', 250, 0), ('EASE stars (cornac EASE (stars))', 'stars', 300, 0),
        ('EDLAE stars (collabfilt edlae)', 'stars', 250, 0.67), ('EDLAE stars, user half-life 20', 'stars', 250, 0.67, 20),
        ('EDLAE stars, user half-life 40', 'stars', 250, 0.67, 40), ('EASE ge4, 90-day half-life', 'ge4', 250, 0, None, 90),
        ('EDLAE stars, 90-day half-life', 'stars', 250, 0.67, None, 90)]

if __name__ == '__main__':
    folds = (sys.argv[1] if len(sys.argv) > 1 else 'time,utime').split(',')
    res = pd.DataFrame({f: [ndcg(f, *r[1:]) for r in ROWS] for f in folds}, index=[r[0] for r in ROWS])
    print(res.round(4).to_string())
