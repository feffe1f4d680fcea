"""The bundled registry against real URL shapes: every article pattern, the story keys of one article's variants,
and the registry-wide rules of schema version 3 (entry status, checked days, discovery order, robots.txt).

Patterns are applied to `canonical_url(url)`, as discovery does. Each outlet with an article pattern needs examples
here: `same` holds groups of URLs of ONE article (plain form, tracking parameters, AMP, fragments, host aliases),
`also` other article shapes, `bad` pages that are not articles of the outlet (sections, search, home, tags, another
outlet's articles).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coverage.discover.base import story_key
from coverage.models import Outlet
from coverage.sources import STRATEGIES, default_sources_path, load_sources
from coverage.urls import canonical_url

REGISTRY = load_sources(bundled=True, user=False)
PATTERNED = sorted(o.id for o in REGISTRY if o.article_pattern)

RSS = "?utm_source=rss&utm_medium=rss"
BBC_RSS = "?at_medium=RSS&at_campaign=rss"

EXAMPLES: dict[str, dict[str, list]] = {
    "cna": {
        "same": [
            [
                "https://www.cna.com.tw/news/aipl/202510120123.aspx",
                "https://www.cna.com.tw/news/aipl/202510120123.aspx" + RSS,
                "HTTPS://WWW.CNA.COM.TW:443/news/aipl/202510120123.aspx#top",
                "https://www.cna.com.tw/news/aipl/202510120123-1.aspx",  # a corrected version of the same story
            ]
        ],
        "also": [
            "https://www.cna.com.tw/news/firstnews/202510120045.aspx",
            "https://www.cna.com.tw/news/acn/202510110301.aspx",
        ],
        "bad": [
            "https://www.cna.com.tw/list/aipl.aspx",
            "https://www.cna.com.tw/",
            "https://www.cna.com.tw/search/hysearchws.aspx?q=台灣",
            "https://focustaiwan.tw/politics/202510120012",
        ],
    },
    "focustaiwan": {
        "same": [
            [
                "https://focustaiwan.tw/politics/202510120012",
                "https://focustaiwan.tw/politics/202510120012" + RSS,
                "https://FocusTaiwan.tw/politics/202510120012#content",
            ]
        ],
        "also": ["https://focustaiwan.tw/cross-strait/202510110008"],
        "bad": [
            "https://focustaiwan.tw/politics",
            "https://focustaiwan.tw/",
            "https://www.cna.com.tw/news/aipl/202510120123.aspx",
        ],
    },
    "udn": {
        "same": [
            [
                "https://udn.com/news/story/6656/9112304",
                "https://udn.com/news/amp/story/6656/9112304",
                "https://udn.com/news/story/6656/9112304?from=udn-ch1_breaknews-1-0-news",
                "https://m.udn.com/news/story/6656/9112304",
                "https://udn.com/news/story/6656/9112304#comments",
            ],
            [
                "https://money.udn.com/money/story/5612/9794455",
                "https://money.udn.com/money/amp/story/5612/9794455",
                "https://money.udn.com/money/story/5612/9794455?from=edn_newest_index",
            ],
        ],
        "also": [
            "https://health.udn.com/health/story/6037/9112345",
            "https://stars.udn.com/star/story/10088/9112399",
            "https://global.udn.com/global_vision/story/8663/9000001",
        ],
        "bad": [
            "https://udn.com/news/index",
            "https://udn.com/news/cate/2/6638",
            "https://udn.com/search/word/2/台灣",
            "https://udn.com/",
            "https://www.chinatimes.com/realtimenews/20251012000001-260407",
        ],
    },
    "ltn": {
        "same": [
            [
                "https://news.ltn.com.tw/news/politics/breakingnews/5212345",
                "https://news.ltn.com.tw/news/politics/breakingnews/5212345" + RSS,
                "https://news.ltn.com.tw/amp/news/politics/breakingnews/5212345",
                "https://news.ltn.com.tw/news/politics/breakingnews/5212345#main",
            ]
        ],
        "also": [
            "https://news.ltn.com.tw/news/Taipei/breakingnews/5212399",
            "https://news.ltn.com.tw/news/politics/paper/1701234",
            "https://ec.ltn.com.tw/article/breakingnews/5212400",
            "https://ent.ltn.com.tw/news/breakingnews/5212401",
            "https://def.ltn.com.tw/article/breakingnews/5328848",
            "https://sports.ltn.com.tw/news/breakingnews/5212402",
            "https://health.ltn.com.tw/article/breakingnews/5212403",
            "https://food.ltn.com.tw/article/10846",
        ],
        "bad": [
            "https://news.ltn.com.tw/list/breakingnews",
            "https://news.ltn.com.tw/topic/再生能源",
            "https://search.ltn.com.tw/list?keyword=台灣",
            "https://www.ltn.com.tw/",
            "https://www.taipeitimes.com/News/front/archives/2025/10/12/2003845678",
        ],
    },
    "taipeitimes": {
        "same": [
            [
                "https://www.taipeitimes.com/News/front/archives/2025/10/12/2003845678",
                "https://taipeitimes.com/News/front/archives/2025/10/12/2003845678",
                "http://www.taipeitimes.com/News/front/archives/2025/10/12/2003845678",
                "https://www.taipeitimes.com/News/front/archives/2025/10/12/2003845678" + RSS,
            ]
        ],
        "also": ["https://www.taipeitimes.com/News/taiwan/archives/2025/10/11/2003845600"],
        "bad": [
            "https://www.taipeitimes.com/News/front",
            "https://www.taipeitimes.com/",
            "https://www.taipeitimes.com/xml/index.rss",
            "https://news.ltn.com.tw/news/politics/breakingnews/5212345",
        ],
    },
    "chinatimes": {
        "same": [
            [
                "https://www.chinatimes.com/realtimenews/20251012000001-260407",
                "https://www.chinatimes.com/realtimenews/20251012000001-260407?chdtv",
                "https://www.chinatimes.com/amp/realtimenews/20251012000001-260407?chdtv",
                "https://www.chinatimes.com/realtimenews/20251012000001-260407?utm_source=line&chdtv",
            ]
        ],
        "also": ["https://www.chinatimes.com/newspapers/20251012000321-260118?chdtv"],
        "bad": [
            "https://www.chinatimes.com/realtimenews/?chdtv",
            "https://www.chinatimes.com/search/台灣?page=1&chdtv",
            "https://act.chinatimes.com/realtimenews/20251012000001-260407",
            "https://www.chinatimes.com/",
        ],
    },
    "ettoday": {
        "same": [
            [
                "https://www.ettoday.net/news/20251012/3045678.htm",
                "https://www.ettoday.net/news/20251012/3045678.htm?from=rss",
                "https://www.ettoday.net/news/20251012/3045678.htm" + RSS,
                "https://www.ettoday.net/news/20251012/3045678.htm#more",
            ]
        ],
        "also": [
            "https://star.ettoday.net/news/3045679",
            "https://finance.ettoday.net/news/3045680",
            "https://ai.ettoday.net/news/3045681",
        ],
        "bad": [
            "https://www.ettoday.net/news/news-list.htm",
            "https://www.ettoday.net/news_search/doSearch.php?keywords=台灣&idx=1",
            "https://www.ettoday.net/",
            "https://www.setn.com/News.aspx?NewsID=1712345",
        ],
    },
    "yahoo_tw": {
        "same": [
            [
                "https://tw.news.yahoo.com/taiwan-president-trip-050012345.html",
                "https://tw.news.yahoo.com/amp/taiwan-president-trip-050012345.html",
                "https://tw.news.yahoo.com/taiwan-president-trip-050012345.html" + RSS,
            ]
        ],
        "also": [
            "https://tw.news.yahoo.com/%E8%B3%B4%E6%B8%85%E5%BE%B7-060000123.html",
            "https://tw.stock.yahoo.com/news/台積電-015710482.html",
        ],
        "bad": [
            "https://tw.news.yahoo.com/politics/",
            "https://tw.news.yahoo.com/search?p=台灣",
            "https://tw.news.yahoo.com/",
            "https://tw.stock.yahoo.com/quote/2330.TW",
        ],
    },
    "tvbs": {
        "same": [
            [
                "https://news.tvbs.com.tw/politics/3012345",
                "https://news.tvbs.com.tw/politics/3012345?from=rss",
                "https://NEWS.TVBS.COM.TW/politics/3012345" + RSS,
                "https://news.tvbs.com.tw/politics/3012345#comment",
            ]
        ],
        "also": ["https://news.tvbs.com.tw/world/3012346", "https://news.tvbs.com.tw/life/3012347"],
        "bad": [
            "https://news.tvbs.com.tw/politics",
            "https://news.tvbs.com.tw/news/searchresult/台灣/news",
            "https://news.tvbs.com.tw/",
        ],
    },
    "pts": {
        "same": [
            [
                "https://news.pts.org.tw/article/765432",
                "https://news.pts.org.tw/article/765432" + RSS,
                "https://news.pts.org.tw/article/765432#main",
            ]
        ],
        "also": ["https://news.pts.org.tw/video/12389"],
        "bad": [
            "https://news.pts.org.tw/category/1",
            "https://news.pts.org.tw/search/台灣",
            "https://news.pts.org.tw/",
        ],
    },
    "setn": {
        "same": [
            [
                "https://www.setn.com/News.aspx?NewsID=1712345",
                "https://www.setn.com/News.aspx?NewsID=1712345&utm_source=setn_rss&utm_medium=rss",
                "https://www.setn.com/News.aspx?From=Search&NewsID=1712345",
                "https://www.setn.com/news/1712345",
            ]
        ],
        "also": ["https://www.setn.com/news/1712346"],
        "bad": [
            "https://www.setn.com/ViewAll.aspx?PageGroupID=6",
            "https://www.setn.com/search.aspx?q=台灣",
            "https://www.setn.com/",
        ],
    },
    "storm": {
        "same": [
            [
                "https://www.storm.mg/article/5123456",
                "https://www.storm.mg/5123456",  # the RSS API's bare form
                "https://www.storm.mg/article/5123456" + RSS,
                "https://www.storm.mg/article/5123456/",
            ]
        ],
        "also": ["https://www.storm.mg/lifestyle/5123457"],
        "bad": [
            "https://www.storm.mg/category/118",
            "https://www.storm.mg/site-search/result?q=台灣",
            "https://www.storm.mg/authors/12345",
            "https://www.storm.mg/",
        ],
    },
    "newtalk": {
        "same": [
            [
                "https://newtalk.tw/news/view/2025-10-12/987654",
                "https://newtalk.tw/news/view/2025-10-12/987654" + RSS,
                "https://newtalk.tw/news/view/2025-10-12/987654#comment",
            ]
        ],
        "also": ["https://newtalk.tw/news/view/2025-10-11/987600"],
        "bad": ["https://newtalk.tw/news/subcategory/2/政治", "https://newtalk.tw/", "https://newtalk.tw/rss/all"],
    },
    "appledaily_tw": {
        "same": [
            [
                "https://www.appledaily.com.tw/realtimenews/article/local/20160521/867195/",
                "http://www.appledaily.com.tw/realtimenews/article/local/20160521/867195/",
                "https://www.appledaily.com.tw/realtimenews/article/local/20160521/867195",
                "https://www.appledaily.com.tw/realtimenews/article/local/20160521/867195/標題",
            ]
        ],
        "also": [
            "https://ent.appledaily.com.tw/realtimenews/article/entertainment/20170101/1024567/",
            "https://appledaily.com.tw/realtimenews/article/politics/20190101/1500000",
        ],
        "bad": [
            "https://www.appledaily.com.tw/realtimenews/section/new/",
            "https://tw.appledaily.com/home/",
            "https://www.appledaily.com.tw/",
        ],
    },
    "hk01": {
        "same": [
            [
                "https://www.hk01.com/社會新聞/1012345/標題",
                "https://www.hk01.com/%E7%A4%BE%E6%9C%83%E6%96%B0%E8%81%9E/1012345/%E6%A8%99%E9%A1%8C",
                "https://www.hk01.com/社會新聞/1012345/標題?utm_source=01webshare&utm_medium=referral",
                "https://www.hk01.com/article/1012345",
            ]
        ],
        "also": ["https://www.hk01.com/即時國際/1012399/x", "https://www.hk01.com/article/60397142"],
        "bad": [
            "https://www.hk01.com/zone/1/港聞",
            "https://www.hk01.com/channel/2/社會新聞",
            "https://www.hk01.com/tag/1234",
            "https://www.hk01.com/",
        ],
    },
    "mingpao": {
        "same": [
            [
                "https://news.mingpao.com/ins/港聞/article/20251012/s00001/1760245123456/標題",
                "https://news.mingpao.com/ins/%E6%B8%AF%E8%81%9E/article/20251012/s00001/1760245123456/%E6%A8%99%E9%A1%8C",
                "https://news.mingpao.com/ins/港聞/article/20251012/s00001/1760245123456/標題" + RSS,
            ]
        ],
        "also": ["https://news.mingpao.com/pns/要聞/article/20251012/s00001/1760199600000/標題"],
        "bad": [
            "https://news.mingpao.com/ins/港聞/section/20251012/s00001",
            "https://news.mingpao.com/pns/主頁",
            "https://news.mingpao.com/",
        ],
    },
    "rthk": {
        "same": [
            [
                "https://news.rthk.hk/rthk/ch/component/k2/1823456-20251012.htm",
                "https://news.rthk.hk/rthk/ch/component/k2/1823456-20251012.htm" + RSS,
                "https://NEWS.RTHK.HK/rthk/ch/component/k2/1823456-20251012.htm#top",
            ]
        ],
        "also": ["https://news.rthk.hk/rthk/en/component/k2/1823457-20251012.htm"],
        "bad": [
            "https://news.rthk.hk/rthk/ch/latest-news.htm",
            "https://news.rthk.hk/rthk/ch/",
            "https://rthk.hk/rthk/news/rss/c_expressnews_greaterchina.xml",
        ],
    },
    "bbc_zhongwen": {
        "same": [
            [
                "https://www.bbc.com/zhongwen/articles/c0k8g2zl7l1o/trad",
                "https://www.bbc.com/zhongwen/articles/c0k8g2zl7l1o/trad" + BBC_RSS,
                "https://www.bbc.co.uk/zhongwen/articles/c0k8g2zl7l1o/trad",
                "https://www.bbc.com/zhongwen/articles/c0k8g2zl7l1o/simp",  # the same story in the other script
            ],
            [
                "https://www.bbc.com/zhongwen/trad/chinese-news-56789012",
                "https://www.bbc.com/zhongwen/trad/chinese-news-56789012.amp",
            ],
        ],
        "also": ["https://www.bbc.co.uk/zhongwen/simp/world-56789013"],
        "bad": [
            "https://www.bbc.com/zhongwen/trad",
            "https://www.bbc.com/zhongwen/trad/topics/c1x2y3z4",
            "https://www.bbc.com/news/world-asia-56789012",
        ],
    },
    "voa_zh": {
        "same": [
            [
                "https://www.voachinese.com/a/taiwan-election-20251012/7823456.html",
                "https://www.voachinese.com/a/taiwan-election-20251012/7823456.html" + RSS,
                "https://WWW.VOACHINESE.COM/a/taiwan-election-20251012/7823456.html#comments",
            ]
        ],
        "also": ["https://www.voachinese.com/a/us-china-trade-talks-20251011/7823400.html"],
        "bad": [
            "https://www.voachinese.com/z/1739",
            "https://www.voachinese.com/s?k=台灣",
            "https://www.voachinese.com/",
        ],
    },
    "rfi_zh": {
        "same": [
            [
                "https://www.rfi.fr/tw/中國/20251012-台海軍演",
                "https://www.rfi.fr/tw/中國/20251012-台海軍演" + BBC_RSS,
                "https://www.rfi.fr/tw/中國/20251012-台海軍演#xtor=RSS",
            ]
        ],
        "also": ["https://www.rfi.fr/cn/中国/20251012-台海军演", "https://www.rfi.fr/tw/20251011-專訪"],
        "bad": [
            "https://www.rfi.fr/tw/中國/",
            "https://www.rfi.fr/tw/",
            "https://www.rfi.fr/en/asia-pacific/20251012-taiwan-drills",
        ],
    },
    "dw_zh": {
        "same": [
            [
                "https://www.dw.com/zh/台海軍演/a-71234567",
                "https://www.dw.com/zh/台海軍演/a-71234567?maca=chi-rss-chi-all-1127-rdf",
                "https://www.dw.com/zh/台海軍演/a-71234567" + RSS,
            ]
        ],
        "also": ["https://www.dw.com/zh-hant/台海軍演/a-71234568"],
        "bad": [
            "https://www.dw.com/zh/在线报导/s-9058",
            "https://www.dw.com/zh/",
            "https://www.dw.com/en/taiwan-drills/a-71234567",
        ],
    },
    "nyt_cn": {
        "same": [
            [
                "https://cn.nytimes.com/world/20260722/ukraine-general-fired-india-protests/",
                "https://cn.nytimes.com/world/20260722/ukraine-general-fired-india-protests/?utm_source=RSS",
                "https://cn.nytimes.com/world/20260722/ukraine-general-fired-india-protests/zh-hant/",
                "https://cn.nytimes.com/world/20260722/ukraine-general-fired-india-protests/dual/",
            ]
        ],
        "also": ["https://cn.nytimes.com/china/20251012/taiwan-election/"],
        "bad": [
            "https://cn.nytimes.com/world/",
            "https://cn.nytimes.com/",
            "https://www.nytimes.com/2025/10/12/world/asia/taiwan-election.html",
        ],
    },
    "xinhua": {
        "same": [
            [
                "https://www.news.cn/politics/20250920/e79479d9068844458b12ba720a9615f7/c.html",
                "http://www.news.cn/politics/20250920/e79479d9068844458b12ba720a9615f7/c.html",
                "https://www.xinhuanet.com/politics/20250920/e79479d9068844458b12ba720a9615f7/c.html",
                "https://www.news.cn/politics/20250920/e79479d9068844458b12ba720a9615f7/c.html" + RSS,
            ]
        ],
        "also": [
            "http://www.xinhuanet.com/politics/2025-01/15/c_1130123456.htm",
            "https://www.news.cn/world/20251012/0123456789abcdef0123456789abcdef/c.html",
        ],
        "bad": [
            "https://www.news.cn/politics/index.htm",
            "https://www.news.cn/",
            "https://english.news.cn/20251012/0123456789abcdef0123456789abcdef/c.html",
        ],
    },
    "people": {
        "same": [
            [
                "http://politics.people.com.cn/n1/2025/1012/c1001-40567890.html",
                "https://politics.people.com.cn/n1/2025/1012/c1001-40567890.html",
                "http://POLITICS.people.com.cn/n1/2025/1012/c1001-40567890.html" + RSS,
            ]
        ],
        "also": ["http://world.people.com.cn/n1/2025/1012/c1002-40567891.html"],
        "bad": [
            "http://politics.people.com.cn/GB/1024/index.html",
            "http://www.people.com.cn/",
            "http://www.people.com.cn/rss/politics.xml",
        ],
    },
    "globaltimes": {
        "same": [
            [
                "https://www.globaltimes.cn/page/202510/1345678.shtml",
                "https://www.globaltimes.cn/page/202510/1345678.shtml" + RSS,
                "HTTPS://WWW.GLOBALTIMES.CN/page/202510/1345678.shtml#comments",
            ]
        ],
        "also": ["https://www.globaltimes.cn/page/202509/1340000.shtml"],
        "bad": [
            "https://www.globaltimes.cn/china/index.html",
            "https://www.globaltimes.cn/",
            "https://www.huanqiu.com/article/4Abcdef",
        ],
    },
    "reuters": {
        "same": [
            [
                "https://www.reuters.com/world/asia-pacific/taiwan-holds-drills-2025-10-12/",
                "https://www.reuters.com/world/asia-pacific/taiwan-holds-drills-2025-10-12/" + RSS,
                "https://www.reuters.com/world/asia-pacific/taiwan-holds-drills-2025-10-12/#main-content",
            ]
        ],
        "also": ["https://www.reuters.com/business/finance/chip-exports-rise-2025-10-11/"],
        "bad": [
            "https://www.reuters.com/world/asia-pacific/",
            "https://www.reuters.com/",
            "https://www.reuters.com/site-search/?query=taiwan",
        ],
    },
    "ap": {
        "same": [
            [
                "https://apnews.com/article/taiwan-china-drills-0123456789abcdef0123456789abcdef",
                "https://apnews.com/article/taiwan-china-drills-0123456789abcdef0123456789abcdef" + RSS,
                "https://apnews.com/article/0123456789abcdef0123456789abcdef",
            ]
        ],
        "also": ["https://apnews.com/article/another-story-fedcba9876543210fedcba9876543210"],
        "bad": ["https://apnews.com/hub/taiwan", "https://apnews.com/world-news", "https://apnews.com/search?q=taiwan"],
    },
    "politico": {
        "same": [
            [
                "https://www.politico.com/news/2025/10/12/taiwan-arms-sale-00612345",
                "https://www.politico.com/news/2025/10/12/taiwan-arms-sale-00612345" + RSS,
                "https://www.politico.com/news/2025/10/12/taiwan-arms-sale-00612345#comments",
            ]
        ],
        "also": ["https://www.politico.com/news/2025/10/11/congress-vote-00612300"],
        "bad": [
            "https://www.politico.com/news/magazine",
            "https://www.politico.com/",
            "https://www.politico.eu/article/taiwan-arms-sale/",
        ],
    },
    "nyt": {
        "same": [
            [
                "https://www.nytimes.com/2025/10/12/world/asia/taiwan-china-drills.html",
                "https://www.nytimes.com/2025/10/12/world/asia/taiwan-china-drills.html?smid=nytcore-ios-share",
                "https://www.nytimes.com/2025/10/12/world/asia/taiwan-china-drills.html" + RSS,
            ]
        ],
        "also": ["https://www.nytimes.com/2025/10/11/us/politics/congress-budget.html"],
        "bad": [
            "https://www.nytimes.com/section/world/asia",
            "https://www.nytimes.com/search?query=taiwan",
            "https://cn.nytimes.com/world/20251012/taiwan-china-drills/",
        ],
    },
    "bbc": {
        "same": [
            [
                "https://www.bbc.com/news/articles/c9wx4ez1jk1o",
                "https://www.bbc.com/news/articles/c9wx4ez1jk1o" + BBC_RSS,
                "https://www.bbc.co.uk/news/articles/c9wx4ez1jk1o",
                "https://www.bbc.com/news/articles/c9wx4ez1jk1o.amp",
            ]
        ],
        "also": ["https://www.bbc.com/news/world-asia-67890123"],
        "bad": [
            "https://www.bbc.com/news/world/asia",
            "https://www.bbc.com/news",
            "https://www.bbc.co.uk/search?q=taiwan",
            "https://www.bbc.com/zhongwen/articles/c0k8g2zl7l1o/trad",
        ],
    },
    "guardian": {
        "same": [
            [
                "https://www.theguardian.com/world/2025/oct/12/taiwan-china-military-drills",
                "https://amp.theguardian.com/world/2025/oct/12/taiwan-china-military-drills",
                "https://www.theguardian.com/world/2025/oct/12/taiwan-china-military-drills?CMP=share_btn_url",
                "https://www.theguardian.com/world/2025/oct/12/taiwan-china-military-drills#comments",
            ]
        ],
        "also": ["https://www.theguardian.com/world/taiwan/2025/oct/11/election-campaign"],
        "bad": [
            "https://www.theguardian.com/world/taiwan",
            "https://www.theguardian.com/international",
            "https://www.theguardian.com/world/rss",
        ],
    },
}

# paths a site's robots.txt disallows (registry-findings.json: BBC E23/E24); a registry search must avoid them
ROBOTS_DISALLOWED = {"www.bbc.co.uk": ("/search",), "www.bbc.com": ("/search",)}


def _positives(outlet_id: str) -> list[str]:
    examples = EXAMPLES.get(outlet_id, {})
    return [url for group in examples.get("same", ()) for url in group] + list(examples.get("also", ()))


def _outlet(outlet_id: str) -> Outlet:
    outlet = REGISTRY.get(outlet_id)
    assert outlet is not None and outlet.article_pattern, f"{outlet_id} has no article pattern in the registry"
    return outlet


def test_every_outlet_with_a_pattern_has_examples() -> None:
    missing = [o for o in PATTERNED if o not in EXAMPLES]
    assert not missing, f"add example URLs to EXAMPLES for: {', '.join(missing)}"
    thin = [o for o in PATTERNED if len(_positives(o)) < 3 or len(EXAMPLES[o].get("bad", ())) < 2]
    assert not thin, f"need >= 3 positive and >= 2 negative examples: {', '.join(thin)}"
    assert not set(EXAMPLES) - set(PATTERNED), "examples for outlets without a pattern"


@pytest.mark.parametrize("outlet_id", PATTERNED)
def test_article_pattern_accepts_the_outlets_real_url_shapes(outlet_id: str) -> None:
    outlet = _outlet(outlet_id)
    rejected = [u for u in _positives(outlet_id) if not re.search(outlet.article_pattern, canonical_url(u))]
    assert not rejected, f"{outlet_id} pattern rejects {rejected}"


@pytest.mark.parametrize("outlet_id", PATTERNED)
def test_article_pattern_rejects_pages_that_are_not_its_articles(outlet_id: str) -> None:
    outlet = _outlet(outlet_id)
    accepted = [
        u for u in EXAMPLES.get(outlet_id, {}).get("bad", ()) if re.search(outlet.article_pattern, canonical_url(u))
    ]
    assert not accepted, f"{outlet_id} pattern accepts {accepted}"


@pytest.mark.parametrize("outlet_id", [o for o in PATTERNED if _outlet(o).canonical_id])
def test_canonical_id_finds_an_id_in_every_article_url(outlet_id: str) -> None:
    outlet = _outlet(outlet_id)
    for url in _positives(outlet_id):
        assert story_key(outlet, url).startswith(f"{outlet_id}:"), (outlet_id, url, canonical_url(url))


@pytest.mark.parametrize("outlet_id", PATTERNED)
def test_variants_of_one_article_share_a_story_key(outlet_id: str) -> None:
    outlet = _outlet(outlet_id)
    groups = EXAMPLES.get(outlet_id, {}).get("same", ())
    assert groups, f"{outlet_id}: give at least one group of variants of one article"
    keys_by_group = []
    for group in groups:
        keys = {story_key(outlet, canonical_url(u)) for u in group}
        assert len(keys) == 1, f"{outlet_id}: variants of one article give several keys {sorted(keys)}"
        keys_by_group.append(keys.pop())
    assert len(set(keys_by_group)) == len(keys_by_group), f"{outlet_id}: two articles share a key"


def test_variant_examples_are_attributed_to_their_outlet() -> None:
    wrong = [
        (outlet_id, url, REGISTRY.for_url(canonical_url(url)).id)
        for outlet_id in EXAMPLES
        for url in _positives(outlet_id)
        if REGISTRY.for_url(canonical_url(url)).id != outlet_id
    ]
    assert not wrong


# ───────────── registry-wide rules ─────────────


def _entries(outlet: Outlet) -> list[tuple[str, str, str, str | None]]:
    """(strategy, url or template, status, checked) of each feed, sitemap and search entry."""
    items = [("feeds", f.url, f.status, f.checked) for f in outlet.feeds]
    items += [("sitemaps", s.url, s.status, s.checked) for s in outlet.sitemaps]
    items += [("search", s.template, s.status, s.checked) for s in outlet.search]
    return items


def _raw_outlets() -> list[dict]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(Path(default_sources_path()).read_text(encoding="utf-8"))
    return data["outlets"]


def test_the_bundled_registry_is_schema_version_3() -> None:
    from ruamel.yaml import YAML

    assert YAML(typ="safe").load(Path(default_sources_path()).read_text(encoding="utf-8"))["version"] == 3


def test_every_bundled_entry_states_its_status() -> None:
    without = [
        (outlet["id"], strategy, entry.get("url") or entry.get("template"))
        for outlet in _raw_outlets()
        for strategy in STRATEGIES
        for entry in outlet.get(strategy) or ()
        if "status" not in entry
    ]
    assert not without, f"entries without a status: {without}"


def test_every_established_status_has_its_day() -> None:
    undated = [
        (outlet.id, value)
        for outlet in REGISTRY
        for _, value, status, checked in _entries(outlet)
        if status in ("ok", "stale", "dead") and not checked
    ]
    assert not undated, f"ok/stale/dead entries without checked: {undated}"
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked)
        for outlet in REGISTRY
        for *_, checked in _entries(outlet)
        if checked
    )


def test_discovery_names_only_strategies_the_outlet_has() -> None:
    for raw in _raw_outlets():
        order = raw.get("discovery")
        if not order:
            continue
        outlet = REGISTRY.get(raw["id"])
        assert outlet is not None
        assert len(set(order)) == len(order), (outlet.id, order)
        present = {strategy for strategy, *_ in _entries(outlet)}
        assert set(order) <= present, f"{outlet.id}: discovery {order} but entries only for {sorted(present)}"
        assert tuple(order) == outlet.discovery


def test_discovery_starts_with_a_strategy_that_works() -> None:
    for outlet in REGISTRY:
        entries = _entries(outlet)
        if not any(status == "ok" for _, _, status, _ in entries):
            continue
        first = next(s for s in outlet.discovery if any(e[0] == s for e in entries))
        assert any(e[0] == first and e[2] == "ok" for e in entries), f"{outlet.id}: {first} has no ok entry"


def test_no_search_template_is_on_a_robots_disallowed_path() -> None:
    for outlet in REGISTRY:
        for search in outlet.search:
            parts = urlsplit(search.template)
            for prefix in ROBOTS_DISALLOWED.get(parts.hostname or "", ()):
                assert not parts.path.startswith(prefix), f"{outlet.id}: {search.template} (robots.txt: {prefix})"


def test_registry_decisions_from_the_findings() -> None:
    udn, nyt, nyt_cn, people = (REGISTRY.get(i) for i in ("udn", "nyt", "nyt_cn", "people"))
    assert udn and nyt and nyt_cn and people
    assert all(f.status == "dead" for f in udn.feeds) and udn.discovery[0] == "sitemaps"
    assert "https://cn.nytimes.com/rss/" not in {f.url for f in nyt.feeds}
    assert "https://cn.nytimes.com/rss/" in {f.url for f in nyt_cn.feeds}
    assert people.min_interval_s == 120  # robots.txt Crawl-delay: 120
    apple = REGISTRY.get("appledaily_tw")
    assert apple and apple.defunct and re.match(r"\d{4}-\d{2}-\d{2}: ", apple.defunct)
    focus = REGISTRY.get("focustaiwan")
    assert focus and {f.url: f.status for f in focus.feeds} == {
        "https://feeds.feedburner.com/rsscna/engnews/": "ok",
        "https://focustaiwan.tw/rss": "dead",
    }
    assert not any(f.verified for o in REGISTRY for f in (*o.feeds, *o.sitemaps))  # nothing was fetched live


def test_the_saved_real_pages_addresses_are_their_outlets_articles() -> None:
    """Each saved Taiwanese page: the address it was saved from and the one it declares (canonical or og:url) are
    articles of its outlet, and the same story."""
    import json

    from coverage.extract.origin import page_address

    from .conftest import shared_or_skip

    folder = shared_or_skip("real-pages/twnews")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    outlets = {"appledaily": "appledaily_tw"}
    checked = 0
    for name, truth in expected.items():
        declared = page_address(folder / f"{name}.html")
        assert declared, name
        outlet = REGISTRY.for_url(declared)
        assert outlet.id == outlets.get(name, name)
        for url in (truth["url"], declared):
            assert REGISTRY.for_url(url).id == outlet.id
            assert outlet.article_pattern and re.search(outlet.article_pattern, canonical_url(url)), url
        if name != "udn":  # the saved UDN page declares another story than the address it was saved from
            assert story_key(outlet, truth["url"]) == story_key(outlet, declared), name
        checked += 1
    assert checked == 7
