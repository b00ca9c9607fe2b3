"""Widget classes that the Designer forms (forms/*.ui) promote their widgets to.

The generated modules in app.ui.forms import these by the ``<header>`` of each ``<customwidget>``, so this
package sits below both the forms and the dialogs/widgets/pages that use the forms. It may import only
PySide6 and the standard library — nothing else from app.ui (or the forms would import upward again).
"""
