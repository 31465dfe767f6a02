"""Runs snmpsim's command responder so that it works as root with this venv's Python.

snmpsim refuses to run as root unless it drops privileges (--process-user/-group).
After the drop it can no longer read a Python installed under /root (pyenv here):
its lazy imports of ``dbm.dumb`` and of the text codecs then fail with "no dbm
clone found" / "unknown encoding". Importing them before the drop, and pointing
``dbm`` at ``dbm.dumb`` (this Python has no gdbm), avoids a second venv on
Debian's python3 + python3-gdbm.
"""

import dbm
import dbm.dumb
import encodings.ascii
import encodings.hex_codec
import encodings.latin_1
import encodings.utf_8
import sys

dbm._modules = {"dbm.dumb": dbm.dumb}  # type: ignore[attr-defined]
dbm._defaultmod = dbm.dumb  # type: ignore[attr-defined]
_CODECS = (encodings.ascii, encodings.hex_codec, encodings.latin_1, encodings.utf_8)

from snmpsim.commands.responder import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
