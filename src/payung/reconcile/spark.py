"""The scale path: the reconciliation's model stage on Splink's Spark backend (docs/decisions/0011).

Same stages as ``linkage.link`` (exact, model, one-to-one, duplicates) and the same settings
(``linkage.settings(..., dialect="spark")``): only the Fellegi-Sunter scoring runs on Spark, because that is
the part that grows with the blocks; the exact join, the greedy rounds and the evidence stay in polars on
the driver, where they are linear in the number of pairs. Needs the optional extra ``payung[spark]``
(pyspark 3.5) and a JVM; nothing else in Payung imports this module.
"""

from __future__ import annotations

import tempfile
from functools import partial
from typing import TYPE_CHECKING

import polars as pl

from payung.reconcile import linkage

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_SPARK_TYPES = {pl.Int64: "bigint", pl.Utf8: "string", pl.Date: "date"}


def session(master: str = "local[2]", *, partitions: int = 8, memory: str = "2g") -> SparkSession:
    """A Spark session able to run the model: Splink's similarity UDF jar (for ``jaro_winkler``) on the
    class path and a checkpoint directory (Splink writes intermediate tables there as parquet). On a
    cluster, pass the cluster's master and set ``partitions`` to 2-4 per executor core."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("payung-reconcile")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="payung-spark-"))
    return spark


def to_spark(frame: pl.DataFrame, spark: SparkSession) -> DataFrame:
    """A polars frame of model inputs as a Spark frame with an explicit schema (Spark 3 reads no Arrow
    tables). Through the driver: fine for a kabupaten; at province scale build the model input with Spark
    from files on shared storage instead (``model_pairs_on_spark`` takes Spark frames)."""
    schema = ", ".join(f"`{name}` {_SPARK_TYPES[dtype]}" for name, dtype in frame.schema.items())
    return spark.createDataFrame(frame.rows(), schema=schema)


def model_pairs_on_spark(
    roster: pl.DataFrame, bpjs: pl.DataFrame, *, spark: SparkSession, floor: float = 0.01
) -> pl.DataFrame:
    """``linkage.model_pairs`` on Spark: scored pairs (R, B, score, stage='model') with probability >=
    ``floor``."""
    if roster.is_empty() or bpjs.is_empty():
        return pl.DataFrame(schema=linkage.PAIR_SCHEMA)
    left = to_spark(linkage.model_input(roster), spark)
    right = to_spark(linkage.model_input(bpjs), spark)
    return scored_on_spark(left, right, roster.height, bpjs.height, spark=spark, floor=floor)


def scored_on_spark(
    left: DataFrame, right: DataFrame, left_rows: int, right_rows: int, *, spark: SparkSession, floor: float
) -> pl.DataFrame:
    """The model on two Spark frames shaped like ``linkage.model_input`` (roster first)."""
    from splink import SparkAPI

    api = SparkAPI(spark_session=spark, num_partitions_on_repartition=_partitions(spark))
    names = ("a_roster", "b_bpjs")  # temporary views: they outlive the API, so dropped below
    try:
        tables = [api.register(f, dataset_display_name=n) for f, n in zip((left, right), names, strict=True)]
        linker = linkage.trained(tables, left_rows, right_rows, dialect="spark")
        result = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
        columns = ("source_dataset_l", "id_l", "id_r", "match_probability")
        # Collected on the driver: a few pairs per row. At country scale write them to parquet instead
        # and read that with polars (result.as_spark_dataframe().write.parquet(...)).
        rows = result.as_spark_dataframe().select(*columns).collect()
        result.drop_table_from_database_and_remove_from_cache()
    finally:
        for name in names:
            spark.catalog.dropTempView(name)
    frame = pl.DataFrame(
        [tuple(row) for row in rows],
        schema={
            "source_dataset_l": pl.Utf8,
            "id_l": pl.Int64,
            "id_r": pl.Int64,
            "match_probability": pl.Float64,
        },
        orient="row",
    )
    return linkage.predicted_pairs(frame)


def _partitions(spark: SparkSession) -> int:
    return int(spark.conf.get("spark.sql.shuffle.partitions", "8"))


def link_on_spark(
    roster: pl.DataFrame,
    bpjs: pl.DataFrame,
    spark_session: SparkSession,
    *,
    threshold: float = linkage.DEFAULT_THRESHOLD,
) -> linkage.Linked:
    """``linkage.link`` with the model stage on Spark: the same ``Linked`` (matches with evidence,
    duplicates, candidates) from the same typed lists (reconcile.lists frames)."""
    scorer = partial(model_pairs_on_spark, spark=spark_session)
    return linkage.link(roster, bpjs, threshold=threshold, scorer=scorer)
