"""Operating the forecasts: the forecast log, realised scores and drift status.

* :mod:`r2k.monitor.version`  - the model version stamped on every logged forecast
* :mod:`r2k.monitor.log`      - forecast results -> log rows (pure)
* :mod:`r2k.monitor.realised` - logged rows + closes -> realised scores (pure)
* :mod:`r2k.monitor.status`   - scored rows -> healthy / degraded / failing, with documented thresholds (pure)
* :mod:`r2k.monitor.service`  - the library entry points over the store: publish (the one writer of shown forecasts),
  score, status

The scheduled job that calls them (and the report) is :mod:`r2k.jobs.update`.
"""
