"""Core logic of the 高校思政工作监测平台: no UI code lives here.

Text columns are pandas' ``str`` type held as Python strings rather than Arrow arrays
(``mode.string_storage = "python"``, set once here, before any frame is made, for the app and
the command line alike). The values and their missing-value rules are the same; the page models
work on many small frames (a province's schools), where every filter, merge and index lookup on
an Arrow array converts it to Python objects and back: 20–30% of a cold page model's time.
"""

import pandas as pd

pd.set_option("mode.string_storage", "python")
