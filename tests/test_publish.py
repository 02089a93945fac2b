"""publish.py's page rewrites, on small pages shaped like the theme's (no MkDocs build).

The built site is checked end to end elsewhere (test_findable: one copy of the assets;
test_html and test_scale: the print view's anchors); these pin the edge cases.
"""

from __future__ import annotations

from generator.publish import prefix_anchors, share_assets


def page(content: str, around: str = "") -> str:
    """A page as Material lays it out: header, the content in its <article>, footer."""
    return (
        '<html><head><link rel="stylesheet" href="assets/stylesheets/main.css"></head>'
        f'<body><input id="__drawer"><nav><a href="#results">Results</a>{around}</nav>'
        f'<article class="md-content__inner md-typeset">{content}</article>'
        '<script src="assets/javascripts/bundle.js"></script></body></html>'
    )


# --- prefix_anchors: the print view's own ids -------------------------------------------


def test_every_content_id_and_every_reference_to_it_is_prefixed_once() -> None:
    text = page(
        '<h2 id="results">Results</h2><figure id="q-1"><a href="#q-1">#</a></figure>'
        '<label for="q-1">x</label><p aria-describedby="q-1 results">y</p>'
        '<svg><path fill="url(#grad)"/><linearGradient id="grad"/></svg>'
    )
    published = prefix_anchors(text)
    for written in (
        'id="paper-results"',
        'id="paper-q-1"',
        'href="#paper-q-1"',
        'for="paper-q-1"',
        'aria-describedby="paper-q-1 paper-results"',
        "url(#paper-grad)",
        'id="paper-grad"',
    ):
        assert written in published
    assert '<a href="#paper-results">Results</a>' in published, "the sidebar's link"
    assert prefix_anchors(published) == published, "prefixed twice"


def test_the_themes_ids_and_names_ending_in_id_stay_as_they_are() -> None:
    text = page('<p id="a" data-id="a" grid="a">x</p><a href="#__drawer">menu</a>')
    published = prefix_anchors(text)
    assert 'id="paper-a" data-id="a" grid="a"' in published
    assert '<input id="__drawer">' in published and 'href="#__drawer"' in published


def test_text_holding_equals_and_a_quote_mark_does_not_hide_the_next_id() -> None:
    # `="` in a quote's words is text, not the start of an attribute value.
    text = page('<p>the rule x="y was read out</p><figure id="q-2"><a href="#q-2">#</a></figure>')
    published = prefix_anchors(text)
    assert 'id="paper-q-2"' in published and 'href="#paper-q-2"' in published
    assert 'the rule x="y was read out' in published


def test_a_page_without_content_is_left_alone() -> None:
    assert prefix_anchors('<p id="a"><a href="#a">a</a></p>') == '<p id="a"><a href="#a">a</a></p>'


# --- share_assets: the translations use the root's copy of the theme ---------------------


def test_the_themes_links_around_the_content_point_at_the_roots_assets() -> None:
    published = share_assets(page("<p>words</p>"), "en/method.html", "en/")
    assert 'href="../assets/stylesheets/main.css"' in published
    assert 'src="../assets/javascripts/bundle.js"' in published


def test_links_into_the_translations_assets_are_rewritten_in_every_form() -> None:
    text = (
        '<link href="assets/a.css"><script src="/en/assets/b.js"></script>'
        '<script src="https://example.org/study/en/assets/c.js"></script>'
        '<script id="__config">{"search": "assets/javascripts/workers/search.js"}</script>'
    )
    published = share_assets(text, "en/index.html", "en/", "/study/")
    assert 'href="../assets/a.css"' in published
    assert 'src="/en/assets/b.js"' in published, "outside the site's path: not its own"
    assert 'src="https://example.org/study/assets/c.js"' in published
    assert '"search": "../assets/javascripts/workers/search.js"' in published
    rooted = share_assets('<script src="/en/assets/b.js"></script>', "en/index.html", "en/")
    assert 'src="/assets/b.js"' in rooted


def test_content_that_names_the_assets_is_rewritten_too() -> None:
    # Content is passed over only when it does not name assets/ at all.
    text = page('<p>See <a href="assets/x.css">the style</a>.</p>')
    published = share_assets(text, "en/method.html", "en/")
    assert '<a href="../assets/x.css">' in published


def test_content_that_does_not_name_the_assets_is_kept_byte_for_byte() -> None:
    content = '<p class="x" data-src="assets">src="a" href=\'b\'</p>'
    published = share_assets(page(content), "en/method.html", "en/")
    assert f'<article class="md-content__inner md-typeset">{content}</article>' in published
