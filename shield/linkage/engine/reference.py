"""`python -m shield.linkage.engine.reference`: retrain the reference model on synthetic records.

The reference model (`reference_model.json`) only serves inputs too small to train on (see
`dedupe.trains_own_model`); any larger input trains its own model from its own data.
"""

import json

from shield.linkage.engine.dedupe import (
    LinkageSettings,
    duckdb_api,
    feature_rows,
    features_frame,
    floor_m_probabilities,
    train,
)
from shield.linkage.engine.model import vietnamese_model
from shield.linkage.engine.synthetic import Generator

REFERENCE_RECORDS = 50_000
REFERENCE_SEED = 7


def build() -> dict[str, object]:
    from splink import Linker

    settings = LinkageSettings(threads=2)
    dataset = Generator(REFERENCE_SEED).dataset(REFERENCE_RECORDS)
    frame = features_frame(feature_rows(dataset.records))
    api = duckdb_api(settings)
    spec = vietnamese_model()
    linker = Linker(api.register(frame), spec.settings, log_level=None)
    train(linker, spec, settings)
    return floor_m_probabilities(linker.misc.save_model_to_json())


def main() -> None:
    from shield.linkage.engine.dedupe import REFERENCE_MODEL

    REFERENCE_MODEL.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
