"""``microcred serve``: prepare the database and serve the site with a production WSGI server."""

from __future__ import annotations

import os


def serve(*, host: str, port: int, demo: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.site.settings")
    # DIDs and credential ids name the platform's address: by default, where it serves.
    shown_host = f"[{host}]" if ":" in host else host
    os.environ.setdefault("MICROCRED_PUBLIC_URL", f"http://{shown_host}:{port}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from microcred.datafiles import private_folder
    from microcred.site.wsgi import application

    private_folder(settings.DATA_DIR)
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        from microcred.site.demo import load_demo

        for line in load_demo():
            print(line)
    print(f"microcred is serving on http://{host}:{port}/ (data in {settings.DATA_DIR})")
    waitress_serve(application, host=host, port=port, threads=8, ident="microcred")
