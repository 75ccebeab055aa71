"""Settings modules: ``base`` (shared), ``local`` (demo/development), ``production``, ``test``."""
