import pytest, os
from support.window import make_window, until
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

async def test_a(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    page = window.connect_page
    window.open_practice("archived_product")
    await until(lambda: window.outcome is not None and not window.controller.busy)
    step = os.environ.get("STEP","")
    if "b" in step:
        window.open_practice("healthy")
        await until(lambda: window.outcome is not None and not window.controller.busy)
    if "c" in step:
        page.key_field.setFocus()
        page.key_field.selectAll()
        qtbot.keyClicks(page.key_field, "sk_test_somethingelse_1234")
    if "d" in step:
        window.close()
