from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "microcred.organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from microcred.core.pages import register_area
        from microcred.organisations import services

        services.register_local_document("/orgs/", services.local_did_document)
        register_area(label="Overview", url_name="organisations:studio-overview")
        register_area(label="Members and roles", url_name="organisations:studio-members")
        register_area(label="Signing keys", url_name="organisations:studio-keys")
        register_area(
            label="Public profile", url_name="organisations:studio-profile", roles=["owner"]
        )
