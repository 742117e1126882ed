__version__ = "0.1.0"

import warnings
# torchvision's import triggers torch's own deprecation notice for `torch.jit.script`; it says nothing about masksclf.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
