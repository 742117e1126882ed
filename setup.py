from configparser import ConfigParser
import os, setuptools, shlex

# note: all settings are in settings.ini; edit there, not here
config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o:cfg[o] for o in cfg_keys}

licenses = {
    'apache2': ('Apache Software License 2.0','OSI Approved :: Apache Software License'),
    'mit': ('MIT License', 'OSI Approved :: MIT License'),
}
statuses = [ '1 - Planning', '2 - Pre-Alpha', '3 - Alpha',
    '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive' ]
py_versions = '3.9 3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
if cfg.get('pip_requirements'): requirements += shlex.split(cfg.get('pip_requirements', ''))
min_python = cfg['min_python']
lic = licenses.get(cfg['license'].lower(), (cfg['license'], None))
dev_requirements = shlex.split(cfg.get('dev_requirements') or '')
ray_requirements = shlex.split(cfg.get('ray_requirements') or '')  # `pip install "masksclf[ray]"`: batch prediction on a Ray cluster (`masksclf.batch.ray_predict`)

# `MASKSCLF_DIST=onnx-runtime pip install .` builds the slim distribution `masksclf-onnx-runtime` instead: the ONNX Runtime
# predictor, the image reader, the decision rule and its record, the face detector and the settings they check against: the
# torch-free core `masksclf.core` alone, with only numpy, Pillow
# and onnxruntime (`onnx_runtime_requirements`), no torch.
dist_kind = os.environ.get('MASKSCLF_DIST', 'full')
if dist_kind == 'onnx-runtime':
    dist = dict(name = cfg['lib_name'] + '-onnx-runtime', packages = [cfg['lib_path'], cfg['lib_path'] + '.core'],
                install_requires = shlex.split(cfg['onnx_runtime_requirements']), options = {'build': {'build_base': 'build/onnx-runtime'}})
elif dist_kind == 'full':
    dist = dict(name = cfg['lib_name'], packages = setuptools.find_packages(), include_package_data = True, install_requires = requirements,
                extras_require = { 'dev': dev_requirements, 'ray': ray_requirements },
                entry_points = {
                    'console_scripts': cfg.get('console_scripts','').split(),
                    'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']
                })
else: raise SystemExit(f"MASKSCLF_DIST={dist_kind!r}: expected 'full' (the default) or 'onnx-runtime'")

setuptools.setup(
    license = lic[0],
    classifiers = [
        'Development Status :: ' + statuses[int(cfg['status'])],
        'Intended Audience :: ' + cfg['audience'].title(),
        'Natural Language :: ' + cfg['language'].title(),
    ] + ['Programming Language :: Python :: '+o for o in py_versions[py_versions.index(min_python):]] + (['License :: ' + lic[1] ] if lic[1] else []),
    url = cfg['git_url'],
    dependency_links = cfg.get('dep_links','').split(),
    python_requires  = '>=' + cfg['min_python'],
    long_description = open('README.md', encoding='utf-8').read(),
    long_description_content_type = 'text/markdown',
    zip_safe = False,
    **dist, **setup_cfg)
