"""How the second source of `bench/bench_multimask.py --second-source` was built: 1,500 web photos of people with and without masks, masks worn incorrectly among them, from a class data set of a French AI course (github.com/jolignier/face-mask-dataset-ilc-2021, commit 1178de48480a2fb7ca5f3c200f335f97fcd0c434, PASCAL VOC boxes per face), with every near-copy of andrewmvd's Kaggle set (`multimask`'s source) and of each other left out.

The repository states no licence, so its photos are for measurement only: never committed here, never trained on for a model that ships. To rebuild the set: bring the repository (e.g. with the search tool's fetch), extract `JPEGImages/` to /tmp/ilc/raw and `annotations/` to /tmp/ilc/annotations, andrewmvd's full 853 photos to /tmp/ilc/full (they are committed in github.com/marellanoc/MaskON under `archive/images`), then run this script with the project's Python. It writes /work/second_source: `images/`, `labels.csv` (`fname,labels,n_faces`), `boxes.csv` and `dropped.csv` (each photo left out and why).

Near-copies: a 16x16 average hash of each photo and of its mirror image; a photo within Hamming distance 10 of a photo of the Kaggle set, or of one kept already, is left out. 110 were near-copies of `multimask`'s photos, 35 of the Kaggle set's other photos, 26 of each other; 74 more were left out to keep 1,500 (one state, no incorrect mask, fewest faces first).
"""
import os, json, numpy as np, pandas as pd, xml.etree.ElementTree as ET
from PIL import Image, ImageOps
RAW='/tmp/ilc/raw'; ANN='/tmp/ilc/annotations'; OUT='/work/second_source'
MAP={'with_mask':'with_mask','without_mask':'without_mask','with_incorrect_mask':'mask_weared_incorrect'}
def ahash_img(im):
    a=np.asarray(im.convert('L').resize((16,16),Image.BILINEAR),dtype=np.float32)
    return (a>a.mean()).ravel()
def load(p):
    im=Image.open(p); im.draft('L',(64,64)); return im
mm='/work/shared/datasets/multimask/images'
MM=np.array([ahash_img(load(os.path.join(mm,f))) for f in sorted(os.listdir(mm))])
fulldir='/tmp/ilc/full'; mmset={os.path.splitext(f)[0] for f in os.listdir(mm)}
extra=sorted(f for f in os.listdir(fulldir) if os.path.splitext(f)[0] not in mmset)
EX=np.array([ahash_img(load(os.path.join(fulldir,f))) for f in extra])
print('multimask',len(MM),'other andrewmvd photos',len(EX))
recs=[]
for f in sorted(os.listdir(RAW)):
    k=os.path.splitext(f)[0]; xp=os.path.join(ANN,k+'.xml')
    if not os.path.exists(xp): continue
    r=ET.parse(xp).getroot(); W=int(r.find('size/width').text); H=int(r.find('size/height').text)
    boxes=[]
    for o in r.findall('object'):
        lab=MAP[o.find('name').text.strip()]
        b=[float(o.find('bndbox/'+t).text) for t in ('xmin','ymin','xmax','ymax')]
        b=[max(0,min(W,b[0])),max(0,min(H,b[1])),max(0,min(W,b[2])),max(0,min(H,b[3]))]
        if b[2]-b[0]<1 or b[3]-b[1]<1: continue
        boxes.append((lab,*b))
    im=load(os.path.join(RAW,f)); h=ahash_img(im); hm=ahash_img(ImageOps.mirror(im))
    recs.append(dict(src=f,key=k,W=W,H=H,boxes=boxes,h=h,hm=hm))
print('annotated photos',len(recs))
H_=np.array([r['h'] for r in recs]); HM=np.array([r['hm'] for r in recs])
def dmin(A,B): return (A[:,None,:]!=B[None,:,:]).sum(-1).min(1)
d_mm=dmin(H_,MM); d_mm_m=dmin(HM,MM); d_ex=dmin(H_,EX); d_ex_m=dmin(HM,EX)
T=10
drop_mm=d_mm<=T; drop_mm_mirror=(~drop_mm)&(d_mm_m<=T)
drop_ex=(~drop_mm)&(~drop_mm_mirror)&(np.minimum(d_ex,d_ex_m)<=T)
stats=dict(annotated=len(recs),near_copy_multimask=int(drop_mm.sum()),near_copy_multimask_mirrored=int(drop_mm_mirror.sum()),
           near_copy_other_andrewmvd=int(drop_ex.sum()))
DROP=[]
for i in range(len(recs)):
    if drop_mm[i]: DROP.append((recs[i]['src'],'near_copy_multimask',int(d_mm[i])))
    elif drop_mm_mirror[i]: DROP.append((recs[i]['src'],'near_copy_multimask_mirrored',int(d_mm_m[i])))
    elif drop_ex[i]: DROP.append((recs[i]['src'],'near_copy_other_andrewmvd',int(min(d_ex[i],d_ex_m[i]))))
keep=[i for i in range(len(recs)) if not (drop_mm[i] or drop_mm_mirror[i] or drop_ex[i])]
noface=[i for i in keep if not recs[i]['boxes']]; keep=[i for i in keep if recs[i]['boxes']]
stats['no_faces']=len(noface)
# internal near-duplicates: keep the one with more faces (then name order)
keep.sort(key=lambda i:(-len(recs[i]['boxes']),recs[i]['src']))
kept=[]; dup=0
for i in keep:
    if kept and (np.array([recs[j]['h'] for j in kept])!=recs[i]['h']).sum(1).min()<=T: dup+=1; DROP.append((recs[i]['src'],'internal_near_duplicate',-1)); continue
    if kept and (np.array([recs[j]['h'] for j in kept])!=recs[i]['hm']).sum(1).min()<=T: dup+=1; DROP.append((recs[i]['src'],'internal_near_duplicate',-1)); continue
    kept.append(i)
stats['internal_near_duplicates']=dup
print(stats, 'left',len(kept))
# select <=1500: all with incorrect mask, then most faces first
MAXN=1500
def has_inc(i): return any(b[0]=='mask_weared_incorrect' for b in recs[i]['boxes'])
inc=[i for i in kept if has_inc(i)]; rest=[i for i in kept if not has_inc(i)]
rest.sort(key=lambda i:(-len(recs[i]['boxes']),recs[i]['src']))
sel=inc+rest[:max(0,MAXN-len(inc))]
stats['not_selected_cap']=len(kept)-len(sel)
sel.sort(key=lambda i:recs[i]['src'])
for i in set(kept)-set(sel): DROP.append((recs[i]['src'],'over_cap_single_state_few_faces',-1))
pd.DataFrame(sorted(DROP),columns=['source_file','reason','hamming']).to_csv(OUT+'/dropped.csv',index=False)
os.makedirs(OUT+'/images',exist_ok=True)
L=[];B=[];MAXS=800
for i in sel:
    r=recs[i]; im=Image.open(os.path.join(RAW,r['src']))
    if im.mode in ('RGBA','LA','P'):
        im=im.convert('RGBA'); bg=Image.new('RGB',im.size,(255,255,255)); bg.paste(im,mask=im.split()[3]); im=bg
    else: im=im.convert('RGB')
    s=min(1.0,MAXS/max(im.size))
    if s<1: im=im.resize((round(im.width*s),round(im.height*s)),Image.LANCZOS)
    sx=im.width/r['W']; sy=im.height/r['H']
    fn='images/'+r['key']+'.jpg'; im.save(os.path.join(OUT,fn),'JPEG',quality=90)
    labs=sorted({b[0] for b in r['boxes']},key=['with_mask','without_mask','mask_weared_incorrect'].index)
    L.append(dict(fname=fn,labels=' '.join(labs),n_faces=len(r['boxes'])))
    for lab,x0,y0,x1,y1 in r['boxes']:
        B.append(dict(fname=fn,label=lab,xmin=round(x0*sx),ymin=round(y0*sy),xmax=round(x1*sx),ymax=round(y1*sy)))
pd.DataFrame(L).to_csv(OUT+'/labels.csv',index=False); pd.DataFrame(B).to_csv(OUT+'/boxes.csv',index=False)
dl=pd.DataFrame(L); db=pd.DataFrame(B)
stats['photos']=len(dl); stats['faces']=len(db)
stats['label_sets']=dl['labels'].value_counts().to_dict(); stats['faces_per_label']=db['label'].value_counts().to_dict()
stats['photos_containing']={c:int(dl['labels'].str.split().apply(lambda s:c in s).sum()) for c in MAP.values()}
stats['n_labels_hist']=dl['labels'].str.split().str.len().value_counts().sort_index().to_dict()
stats['n_faces_quantiles']=dl['n_faces'].quantile([0,.25,.5,.75,1]).to_dict(); stats['photos_ge2_faces']=int((dl.n_faces>=2).sum())
json.dump(stats,open('/tmp/ilc/stats.json','w'),indent=1,default=int); print(json.dumps(stats,indent=1,default=int))
