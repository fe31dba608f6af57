from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from cms_pages.models import HomePage, StandardPage


class PageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = Site.objects.get(is_default_site=True).root_page.specific
        cls.about = cls.home.add_child(
            instance=StandardPage(
                title="À propos", slug="a-propos", intro="Qui sommes-nous", show_in_menus=True
            )
        )

    def test_the_migration_makes_a_parcours_home_page_the_site_root(self):
        self.assertIsInstance(self.home, HomePage)

    def test_a_home_page_can_be_created_at_the_tree_root(self):
        self.assertCanCreateAt(Page, HomePage)

    def test_standard_pages_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, StandardPage)

    def test_both_page_types_render(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.about)

    def test_the_home_page_speaks_french_by_default(self):
        response = self.client.get("/")

        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, "Aller au contenu")

    def test_english_and_dutch_live_under_their_prefix(self):
        self.assertContains(self.client.get("/en/"), '<html lang="en">')
        self.assertContains(self.client.get("/nl/"), "Naar de inhoud")

    def test_menu_pages_appear_in_the_header(self):
        response = self.client.get("/")

        self.assertContains(response, 'href="/a-propos/"')

    def test_the_language_switcher_sends_the_visitor_to_the_english_page(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/a-propos/"})

        self.assertRedirects(response, "/en/a-propos/", fetch_redirect_response=False)

    def test_every_asset_is_served_locally(self):
        html = self.client.get("/").content.decode()

        self.assertNotIn("//cdn", html)
        self.assertNotRegex(html, r'(src|href)="https?://(?!testserver)')
