"""What every app of the platform shares, below all of them in the layer order.

The API instance and its error handlers, the read-only admin base, and the
staff page helpers (sign-in, service errors as pages, the dashboard's areas),
plus the one module that builds the public URLs signed into credentials.
Nothing here imports an app: the apps import this.
"""
