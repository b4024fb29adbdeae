"""`make demo`: the whole pipeline, headless, with qgis_process on sample data.

1. objects: 60 polygons laid over the NAIP tile in ../shared/data/real (a GeoJSON in EPSG:4326);
2. chipvlm:cutchips -> demo_output/run/chips/*.png + chips_index.csv;
3. chipvlm:classifychips against the Ollama endpoints in $CHIPVLM_ENDPOINTS (comma-separated URLs,
   model in $CHIPVLM_MODEL), or, when it is unset, against a local fake Ollama server from tests/fakes
   (there is no GPU here) -> demo_output/run/results.sqlite + results.csv;
4. chipvlm:writeclasses -> demo_output/objects_classified.gpkg;
5. chipvlm:drawsample -> an audit sample in results.sqlite + demo_output/audit_sample.csv; reference
   decisions SIMULATED through plugin/core/assess/audit.py (an analyst would make them in the dock);
   chipvlm:accuracyreport -> demo_output/accuracy_report.html + accuracy_table.csv.
"""
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
from qgis_env import expose_package, prepare, qgis_process_command  # noqa: E402

OUT = ROOT / "demo_output"
RASTER = ROOT.parent / "shared" / "data" / "real" / "naip_m_4709963_se_14_1_20200831.tif"


def sample_objects(path: Path, count: int = 60) -> None:
    """Quadrilaterals of 40-250 m spread over the tile, written as GeoJSON in WGS 84."""
    import rasterio
    from rasterio.warp import transform as warp

    with rasterio.open(RASTER) as dataset:
        b, crs = dataset.bounds, dataset.crs
    rng = random.Random(42)
    features = []
    for i in range(count):
        w, h = rng.uniform(40, 250), rng.uniform(40, 250)
        x, y = rng.uniform(b.left, b.right - w), rng.uniform(b.bottom, b.top - h)
        xs, ys = [x, x + w, x + w * 0.9, x + w * 0.1, x], [y, y + h * 0.1, y + h, y + h * 0.9, y]
        lon, lat = warp(crs, "EPSG:4326", xs, ys)
        features.append({"type": "Feature", "properties": {"obj_id": 100 + i * 3},
                         "geometry": {"type": "Polygon", "coordinates": [list(map(list, zip(lon, lat)))]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


def qgis_process(algorithm: str, env: dict, **parameters) -> dict:
    args = qgis_process_command() + ["run", algorithm, "--json", "--"]
    args += [f"{key}={value}" for key, value in parameters.items()]
    print("$", " ".join(args[-len(parameters) - 3:]), flush=True)
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{algorithm} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout[done.stdout.index("{"):])["results"]


def simulate_references(results: Path) -> int:
    """Reference classes for the audit sample, SIMULATED: the model's class, except for about one chip in
    six (chosen by a hash of the fid), which gets the next class of the scheme. Made through the same
    core API the dock uses (Audit.set_reference), so the report reads them as an analyst's."""
    expose_package()
    from chipvlm.plugin.core.assess.audit import Audit
    from chipvlm.plugin.core.results.store import ResultsStore

    with ResultsStore(results) as store:
        model = {row["fid"]: row for row in store.results()}
        scheme = store.scheme()
    classes = [c.id for c in scheme.classes if c.id > 0]
    with Audit(results, reviewer="simulated analyst") as audit:
        for item in audit.items(undecided_only=True):
            row = model[item.fid]
            final = row["reviewed_class_id"] if row["reviewed_class_id"] is not None else row["class_id"]
            wrong = final <= 0 or hashlib.sha256(str(item.fid).encode()).digest()[0] < 43
            reference = classes[(classes.index(final) + 1) % len(classes)] if final in classes and wrong else (
                final if final in classes else classes[item.fid % len(classes)])
            audit.set_reference([item.fid], reference)
        return audit.progress().decided


def audit_and_report(env: dict, results: Path, classified: Path) -> None:
    sample = qgis_process("chipvlm:drawsample", env, RESULTS=results, TARGET_SE=0.05, MIN_PER_CLASS=5, SEED=1,
                          REPLACE="true", OUTPUT=OUT / "audit_sample.csv")
    print(f"  audit sample of {sample['SAMPLE_SIZE']} chips: {sample['OUTPUT']}")
    decided = simulate_references(results)
    print(f"  {decided} reference decisions SIMULATED (the model's class, one in six changed): in a real audit "
          f"the analyst makes them blind in the review dock's Audit filter")
    report = qgis_process("chipvlm:accuracyreport", env, INPUT=classified, FID_FIELD="obj_id", REFERENCE=results,
                          OUTPUT_HTML=OUT / "accuracy_report.html", OUTPUT_TABLE=OUT / "accuracy_table.csv")
    print(f"  overall accuracy {report['OVERALL_ACCURACY']:.3f} ± {report['OVERALL_ACCURACY_CI']:.3f} "
          f"(from SIMULATED references); report {report['OUTPUT_HTML']}, table {report['OUTPUT_TABLE']}")


def main() -> int:
    if not RASTER.exists():
        sys.exit(f"The sample raster {RASTER} is missing: ../shared/data/real must be beside the project.")
    OUT.mkdir(exist_ok=True)
    env = dict(os.environ, **prepare())
    objects = OUT / "objects.geojson"
    sample_objects(objects)
    run = OUT / "run"
    # the objects are 8-50 pixels of this 5 m tile: FRAMING=fit shows each one large (up to 4x), where
    # the default (auto: native unless the object does not fit) would leave specks in 512 px chips
    cut = qgis_process("chipvlm:cutchips", env, INPUT=objects, RASTER=RASTER, FID_FIELD="obj_id", FRAMING="fit",
                       OUTPUT_FOLDER=run)
    print(f"  {cut['CHIP_COUNT']} chips in {run / 'chips'}; index {cut['INDEX']}")

    fake = None
    endpoints = os.environ.get("CHIPVLM_ENDPOINTS", "")
    model = os.environ.get("CHIPVLM_MODEL", "gemma3:27b")
    if not endpoints:
        from fakes.ollama import DUPLICATE_FID, GARBAGE_REASON, FakeModelServer

        fake = FakeModelServer(model=model, delay=0.05).start()
        # as the field report's model did: one batch repeats a fid, two answer junk reasons
        fake.add_rule(DUPLICATE_FID, times=1, min_batch=10)
        fake.add_rule(GARBAGE_REASON, times=2, min_batch=5)
        endpoints = fake.url
        print(f"  CHIPVLM_ENDPOINTS is not set: classifying with a fake Ollama at {endpoints} "
              f"(it repeats a fid once and answers junk reasons twice, as the field report's model did)")
    try:
        results = qgis_process("chipvlm:classifychips", env, INDEX=cut["INDEX"], ENDPOINTS=endpoints, MODEL=model,
                               SCHEME="yili8", BATCH_SIZE=10, OUTPUT=run / "results.sqlite")
    finally:
        if fake is not None:
            fake.stop()
    print(f"  classified {results['CLASSIFIED']}, errors {results['ERRORS']}, "
          f"needing review {results['NEEDS_REVIEW']}; {results['RESULTS_CSV']}")
    written = qgis_process("chipvlm:writeclasses", env, INPUT=objects, RESULTS=results["OUTPUT"],
                           FID_FIELD="obj_id", IN_PLACE="false", OUTPUT=OUT / "objects_classified.gpkg")
    print(f"  classes written to {written['OUTPUT']}")
    audit_and_report(env, Path(results["OUTPUT"]), Path(written["OUTPUT"]))
    print(f"Review: open {results['OUTPUT']} in the ChipVLM review dock (make run, then Plugins > ChipVLM).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
