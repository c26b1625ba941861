"""``regular_file(path, what)``: the one check that an input path is a file formcheck can read.

Every entry point that takes a file from a person (a check's clips and logs,
``read_log`` for an import) asks the same questions in the same order --
does it exist, is it a folder, is it a plain file, may we read it -- and a
person should get the same sentence for the same mistake wherever they made
it.  The messages name the path and say what to do; they name no command-line
option, so the CLI and the web app can both show them as they are.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from formcheck.errors import InputFileError


def regular_file(path: Path, what: str) -> os.stat_result:
    """``path``'s stat when it is a readable regular file, else one InputFileError sentence.

    ``what`` names the file by its role ("video", "training-log export"), so
    the sentence can say which file to look for.  The stat is returned so the
    caller can check the size without asking the file system again.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputFileError(f"{path} does not exist: check the path of the {what}.") from None
    except OSError as error:
        raise InputFileError(f"{path} cannot be read ({error.strerror or error}): check the path of the {what}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"{path} is a folder, not a {what}: give the file(s) inside it.")
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError(f"{path} is not a regular file (a device, pipe or socket): give the {what} file itself.")
    if not os.access(path, os.R_OK):
        raise InputFileError(f"{path} cannot be read: check its permissions.")
    return info
