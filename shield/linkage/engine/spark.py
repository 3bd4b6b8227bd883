"""The engine on Apache Spark: `dedupe(records, db_api=spark_api())`.

Spark is optional (`pip install -e '.[spark]'`, plus a Java 17 runtime: Debian's
`openjdk-17-jre-headless`); nothing else in the engine imports pyspark. `spark_api()` makes a
local SparkSession (`local[*]`) unless one is given, with Splink's similarity functions (the jar
shipped in the splink wheel) and a checkpoint directory in the system's temporary directory; on a
cluster, pass the cluster's own session (and a checkpoint directory every executor can reach).
"""

import os
import shutil
import tempfile
from typing import Any

PYSPARK_MISSING = (
    "Spark needs pyspark: pip install -e '.[spark]' (and Java 17: apt-get install openjdk-17-jre-headless)"
)

# The driver holds the records, their features and, in local mode, the executors too.
DEFAULT_DRIVER_MEMORY = "4g"
# Spark's default of 200 shuffle partitions is made for clusters: on one machine each is a task of
# its own, and a file of a few thousand records would spend its time scheduling them.
LOCAL_SHUFFLE_PARTITIONS = 8


class SparkUnavailable(RuntimeError):
    """pyspark is not installed, or Java is missing."""


def spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def local_session(*, driver_memory: str = DEFAULT_DRIVER_MEMORY, cores: str = "*") -> Any:
    """A local SparkSession with Splink's similarity jar, quiet and checkpointing to a temporary
    directory of its own."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:
        raise SparkUnavailable(PYSPARK_MISSING) from error
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable("Spark needs Java 17: apt-get install openjdk-17-jre-headless")
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("shield-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
        .config("spark.default.parallelism", str(LOCAL_SHUFFLE_PARTITIONS))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    checkpoints = tempfile.mkdtemp(prefix="shield-linkage-spark-")
    session.sparkContext.setCheckpointDir(checkpoints)
    return session


def spark_api(session: Any = None) -> Any:
    """A Splink `SparkAPI` over `session` (a local one when None)."""
    try:
        from splink.backends.spark import SparkAPI
    except ImportError as error:
        raise SparkUnavailable(PYSPARK_MISSING) from error
    session = session if session is not None else local_session()
    # Local mode: break lineage in memory (parquet checkpoints to disk cost more than they save on
    # one machine), and keep the partitions few after blocking.
    return SparkAPI(
        spark_session=session,
        break_lineage_method="persist",
        num_partitions_on_repartition=LOCAL_SHUFFLE_PARTITIONS,
    )
