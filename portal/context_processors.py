from django.conf import settings


def site(request):
    """The site's own name and footer lines, from settings."""
    return {
        "site": {
            "name": settings.SITE_NAME,
            "sponsor": settings.SITE_SPONSOR,
            "contact": settings.SITE_CONTACT,
            "icp": settings.SITE_ICP,
            "public_security_record": settings.SITE_PUBLIC_SECURITY_RECORD,
            "gov_code": settings.SITE_GOV_CODE,
        }
    }
