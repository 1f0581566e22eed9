"""The one bound on the tests' waits, importable where :mod:`tests.conftest` is not: a
worker process of a run the tests start (a plugin's or a hook's, as :mod:`tests.idling`)
imports this module alone, not conftest's pytest and fixtures."""

from __future__ import annotations

#: The longest a test, a helper or a worker it started waits for a run, a thread, a lock
#: or the moment it names (seconds): it only guards against a hang, so it is long
#: enough for a slow, loaded machine; a test that died must not leave a run waiting
#: for good.
WAIT = 300
