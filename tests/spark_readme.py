"""The README's SQL ("Large captures") in DuckDB and in Spark, over one directory of
Parquet files that `layers decode --parquet DIR/` wrote; the results must be equal, row
by row. Run by tests/parquet.rs (which skips it, saying so, without PySpark and Java).

    python3 tests/spark_readme.py README.md FRAMES_DIR

Prints one line per query; exits 1 if a query differs or gives no row.
"""
import re
import sys

import duckdb
from pyspark.sql import SparkSession

readme, frames = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
section = text[text.index("### The statistics as SQL"):text.index("## `layers table`")]
duck_part, spark_part = section.split("### When one machine is not enough: Spark")
duck = re.findall(r"```sql\n(.*?)```", duck_part, re.S)
spark_sql = re.findall(r"```sql\n(.*?)```", spark_part, re.S)
setup = re.findall(r"```python\n(.*?)```", spark_part, re.S)
assert len(duck) == 5 and len(spark_sql) == 1 and len(setup) == 1, "the README's blocks moved"

con = duckdb.connect()
con.sql(duck[0].replace("frames/*.parquet", frames + "/*.parquet"))
spark = (
    SparkSession.builder.master("local[2]")
    .config("spark.ui.enabled", "false")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
# The README's PySpark lines, on this directory; its `spark.sql(...)` line is an example.
for line in setup[0].splitlines():
    if not line.startswith("spark.sql("):
        exec(line.replace('"frames/"', repr(frames)), {"spark": spark})

# The hierarchy has a Spark form of its own; the other three run unchanged.
pairs = [("hierarchy", duck[1], spark_sql[0])] + [
    (name, q, q) for name, q in zip(["top talkers", "handshakes", "dns names"], duck[2:])
]
ok = True
for name, dq, sq in pairs:
    d = [tuple(r) for r in con.sql(dq.strip().rstrip(";")).fetchall()]
    s = [tuple(r) for r in spark.sql(sq.strip().rstrip(";")).collect()]
    good = d == s and len(d) > 0
    ok &= good
    print(f"{name}: {len(d)} rows in DuckDB, {len(s)} in Spark: {'equal' if good else 'DIFFERENT'}")
    if not good:
        print("  DuckDB:", d[:5])
        print("  Spark: ", s[:5])

# frame_time read as nanoseconds, and turned into a timestamp as the README says.
ns = spark.sql("SELECT min(frame_time) FROM frames").collect()[0][0]
us = spark.sql("SELECT min(unix_micros(timestamp_micros(frame_time DIV 1000))) FROM frames")
want = con.sql("SELECT min(epoch_ns(frame_time)) FROM frames").fetchall()[0][0]
times = ns == want and us.collect()[0][0] == want // 1000
ok &= times
print(f"frame_time: {ns} ns in Spark, {want} in DuckDB: {'equal' if times else 'DIFFERENT'}")
print(f"Spark {spark.version}, DuckDB {duckdb.__version__}")
spark.stop()
sys.exit(0 if ok else 1)
