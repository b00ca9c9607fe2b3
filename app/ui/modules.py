"""Which module pages replace the shell's placeholder pages.

Each entry is ``(key, factory)``; ``factory(ctx, window)`` returns the page widget. The main window
calls :func:`install_modules` once after it is built. Keys are the main window's page keys:
'home', 'cases', 'volunteers', 'organizations', 'stats', 'exports', 'settings'. Factories import
their page module lazily, so a page's heavy dependencies load only when the window is built.

This is the UI's composition root: where a factory can, it builds the page's service and hands it in
(cases, volunteers) rather than the page making its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PageFactory = Callable[[Any, Any], Any]

MODULE_PAGES: list[tuple[str, str, PageFactory]] = []


# Things a module adds to the window itself (menus) once the database is open.
MODULE_HOOKS: list[Callable[[Any, Any], None]] = []


def install_modules(window: Any, ctx: Any) -> None:
    """Register every module page with the window, and run the module hooks.

    Pages are registered lazily where the window supports it (``register_lazy_page``): a page is built
    the first time it is shown, so opening a 100,000-case database costs only the page in front.
    """
    lazy = getattr(window, "register_lazy_page", None)
    for key, title, factory in MODULE_PAGES:
        if lazy is not None:
            lazy(key, title, lambda f=factory: f(ctx, window))
        else:
            window.register_page(key, title, factory(ctx, window))
    for hook in MODULE_HOOKS:
        hook(window, ctx)


def _cases_page(ctx: Any, window: Any) -> Any:
    from app.services.cases import CaseService
    from app.ui.pages.cases_page import CasesPage

    return CasesPage(ctx, window, service=CaseService(ctx.session_factory))


def _home_page(ctx: Any, window: Any) -> Any:
    from app.ui.pages.home_page import HomePage

    return HomePage(ctx, window=window)


MODULE_PAGES.append(("home", "首页", _home_page))
MODULE_PAGES.append(("cases", "案件台账", _cases_page))


def _organizations_page(ctx: Any, window: Any) -> Any:
    from app.ui.pages.organizations import OrganizationsPage

    return OrganizationsPage(ctx, window)


MODULE_PAGES.append(("organizations", "组织档案", _organizations_page))


def _volunteers_page(ctx: Any, window: Any) -> Any:
    from app.services.volunteers import VolunteerService
    from app.ui.pages.volunteers import VolunteersPage

    return VolunteersPage(ctx, window, service=VolunteerService(ctx.session_factory))


MODULE_PAGES.append(("volunteers", "志愿服务", _volunteers_page))


def _stats_page(ctx: Any, window: Any) -> Any:
    from app.ui.pages.stats_page import StatsPage  # matplotlib loads only when the page is first shown

    return StatsPage(ctx, window)


MODULE_PAGES.append(("stats", "统计图表", _stats_page))


def _submissions_page(ctx: Any, window: Any) -> Any:
    from app.ui.pages.submissions_page import SubmissionsPage

    return SubmissionsPage(ctx, window)


def _import_menu(window: Any, ctx: Any) -> None:
    """The 导入 menu (import wizard per kind of data, 报送情况), added right after the page in front is shown:
    the wizard's module and the import engine take ~0.15 s to load, which the first screen need not wait for."""
    from PySide6.QtCore import QTimer

    def install() -> None:
        from app.ui.dialogs.import_wizard import install_import_menu

        try:
            install_import_menu(window, ctx)
        except RuntimeError:  # the window was closed meanwhile
            pass

    QTimer.singleShot(0, install)


MODULE_PAGES.append(("submissions", "报送情况", _submissions_page))
MODULE_HOOKS.append(_import_menu)


def _ledgers_page(ctx: Any, window: Any) -> Any:
    from app.ui.pages.ledgers import LedgersPage  # 其他台账 (issue 17), after 报送情况: Ctrl+9

    return LedgersPage(ctx, window)


MODULE_PAGES.append(("ledgers", "其他台账", _ledgers_page))


def _account_menu(window: Any, ctx: Any) -> None:
    from app.ui.pages.audit_log import install_account_menu  # 账户: 修改密码, 用户管理, 操作日志 (issue 16)

    install_account_menu(window, ctx)


MODULE_HOOKS.append(_account_menu)
