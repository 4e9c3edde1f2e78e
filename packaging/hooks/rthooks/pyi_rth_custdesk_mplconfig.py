"""Run-time hook of the frozen CustDesk: matplotlib's font cache persists in the data folder.

Replaces PyInstaller's ``pyi_rth_mplconfig.py`` (packaging/hooks/rthooks.dat), which gives matplotlib a
new temporary ``MPLCONFIGDIR`` on every start, so that it rebuilds its font list each session. That
hook exists for one-file bundles, whose fonts move to a new temporary folder on each run; CustDesk is a
one-folder bundle, and matplotlib rebuilds the list by itself when a font in it is missing (a moved
installation). Here ``MPLCONFIGDIR`` is ``<data folder>/matplotlib`` (custdesk.paths), unless it is set
already; when that folder cannot be made, a temporary one removed at exit, as PyInstaller's hook does.
"""


def _pyi_rthook() -> None:
    import os

    if os.environ.get("MPLCONFIGDIR"):
        return  # the caller's choice (a test, packaging/build_linux.sh)
    try:
        from custdesk import paths

        folder = paths.matplotlib_config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(str(folder))
        os.environ["MPLCONFIGDIR"] = str(folder)
    except Exception:  # a read-only profile or a broken data folder must not stop the program
        import atexit
        import shutil
        import tempfile

        temporary = tempfile.mkdtemp(prefix="custdesk-mpl-")
        os.environ["MPLCONFIGDIR"] = temporary
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)


_pyi_rthook()
del _pyi_rthook
