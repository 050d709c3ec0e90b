# rejects: 0
# expect: format ucdp-api
ucdp_api_page_ged231.json
